#pragma once

#include <QStringList>

// mcpwb trace show TRACE.jsonl [--filter EXPR] [--json]
// mcpwb trace export --har|--otlp|--jsonl OUT [--keep-secrets] TRACE.jsonl
// Work on a session file with no server; returns the exit code.
int runTrace(const QStringList &args);
