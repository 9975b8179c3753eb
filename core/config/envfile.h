#pragma once

#include "configuredserver.h"

namespace mcp::config {

// An envFile (VS Code, Cursor): KEY=VALUE lines read into a stdio server's environment when connecting. It
// is named by a config file that anyone who can write to a project folder may have written, so it is read
// as hostile: a regular file of the user's own (or root's), not writable by others, of at most
// kMaxEnvFileBytes and kMaxEnvFileVariables; each line that is not `[export ]NAME=VALUE`, a comment or
// blank is a problem at its line, and the others are still read.
inline constexpr qint64 kMaxEnvFileBytes = 256 * 1024;
inline constexpr int kMaxEnvFileVariables = 1000;

struct EnvFileResult
{
    NamedValues variables; // in the file's order; a name given twice keeps its last value
    QList<ConfigProblem> problems;
};

// path: ~/ is the home directory. A file that cannot be used yields one problem and no variables.
EnvFileResult readEnvFile(const QString &path);
// The same on bytes already read (tests and the fuzzer); path only names the file in problems.
EnvFileResult parseEnvFile(const QString &path, const QByteArray &bytes);

} // namespace mcp::config
