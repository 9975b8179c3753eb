#pragma once

#include "error.h"

#include <QTextStream>

// Turns MCP results into what a person reads in a terminal (or JSON with --json).
class Printer
{
public:
    explicit Printer(bool json);

    void result(const QString &verb, const mcp::Json &result);
    void notification(const QString &method, const mcp::Json &params);
    void line(const QString &text);
    void error(const mcp::Error &error);
    void diagnostic(const QString &text); // stderr, prefixed

private:
    void tools(const mcp::Json &result);
    void content(const mcp::Json &blocks);
    void listNamed(const mcp::Json &items, const char *nameKey);

    bool m_json;
    QTextStream m_out;
    QTextStream m_err;
};
