#pragma once

// A home directory and a project folder with every host's MCP config file, each written from that host's
// documented format (Claude Desktop, Claude Code, Cursor, VS Code, Windsurf, Cline, Gemini CLI, Codex), and
// broken ones: JSON missing a comma, TOML with an unclosed array, an entry of the wrong type, a directory
// where a file should be. Used by tst_hostconfigs and the inventory dialog's test.

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QString>

namespace testsupport {

inline void writeSample(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(path));
}

// ~/.config/Claude/claude_desktop_config.json
inline constexpr char kClaudeDesktop[] = R"({
  "mcpServers": {
    "filesystem": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-filesystem@2025.8.21", "/home/user/Documents"]
    },
    "slack": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-slack"],
      "env": {"SLACK_BOT_TOKEN": "xoxb-1111-2222-abcdefghijkl", "SLACK_TEAM_ID": "T01234567"}
    }
  },
  "globalShortcut": "Ctrl+Space"
}
)";

// ~/.claude.json: user servers, and local ones per project
inline constexpr char kClaudeCodeUser[] = R"({
  "numStartups": 12,
  "mcpServers": {
    "github": {
      "type": "http",
      "url": "https://api.githubcopilot.com/mcp/",
      "headers": {"Authorization": "Bearer ${GITHUB_PAT}"}
    }
  },
  "projects": {
    "/home/user/app": {
      "allowedTools": [],
      "mcpServers": {
        "memory": {"type": "stdio", "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"], "env": {}}
      }
    }
  }
}
)";

// PROJECT/.mcp.json (Claude Code, project scope): the same filesystem server as Claude Desktop's
inline constexpr char kClaudeCodeProject[] = R"({
  "mcpServers": {
    "docs": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-filesystem@2025.8.21", "/home/user/Documents"]
    }
  }
}
)";

// ~/.cursor/mcp.json: the same GitHub server as Claude Code's (URL without the trailing slash)
inline constexpr char kCursorUser[] = R"({
  "mcpServers": {
    "github": {
      "url": "https://api.githubcopilot.com/mcp",
      "headers": {"Authorization": "Bearer ${env:GITHUB_PAT}"}
    },
    "postgres": {
      "command": "docker",
      "args": ["run", "-i", "--rm", "-e", "PGPASSWORD", "mcp/postgres"],
      "env": {"PGPASSWORD": "hunter2"},
      "envFile": "/home/user/.pg.env"
    }
  }
}
)";

// PROJECT/.cursor/mcp.json: one entry of the wrong type (line 3), one good
inline constexpr char kCursorProject[] = R"({
  "mcpServers": {
    "broken": {"command": "node", "args": "server.js"},
    "local-tools": {"command": "node", "args": ["tools/server.js", "--token", "s3cr3t-value"]}
  }
}
)";

// ~/.config/Code/User/settings.json: JSONC, with comments and trailing commas
inline constexpr char kVsCodeSettings[] = R"({
  // editor
  "editor.fontSize": 14,
  /* MCP servers
     for every workspace */
  "mcp": {
    "servers": {
      "time": {"type": "stdio", "command": "uvx", "args": ["mcp-server-time",],},
    },
  },
}
)";

// PROJECT/.vscode/mcp.json: inputs, and a reference to one
inline constexpr char kVsCodeProject[] = R"({
  "inputs": [
    {"type": "promptString", "id": "perplexity-key", "description": "Perplexity API Key", "password": true}
  ],
  "servers": {
    "perplexity": {
      "type": "stdio",
      "command": "npx",
      "args": ["-y", "server-perplexity-ask@0.1.3"],
      "env": {"PERPLEXITY_API_KEY": "${input:perplexity-key}"}
    },
    "remote-sse": {"type": "sse", "url": "https://mcp.example.com/sse"}
  }
}
)";

// ~/.codeium/windsurf/mcp_config.json: serverUrl, over plain HTTP to another host
inline constexpr char kWindsurf[] = R"({
  "mcpServers": {
    "intranet": {"serverUrl": "http://mcp.example.com/mcp"}
  }
}
)";

// Cline's settings in VS Code's global storage
inline constexpr char kCline[] = R"({
  "mcpServers": {
    "weather": {
      "command": "node",
      "args": ["/home/user/weather/build/index.js"],
      "env": {"OPENWEATHER_API_KEY": "${env:OPENWEATHER_API_KEY}"},
      "disabled": false,
      "autoApprove": ["get_forecast"]
    }
  }
}
)";

// ~/.gemini/settings.json: a comma missing at the end of line 4
inline constexpr char kGeminiUserBroken[] = R"({
  "theme": "Dracula",
  "mcpServers": {
    "git": {"command": "uvx", "args": ["mcp-server-git"]}
    "other": {"command": "x"}
  }
}
)";

// PROJECT/.gemini/settings.json: httpUrl is streamable HTTP
inline constexpr char kGeminiProject[] = R"({
  "mcpServers": {
    "context7": {"httpUrl": "https://mcp.context7.com/mcp", "headers": {"CONTEXT7_API_KEY": "$CONTEXT7_API_KEY"}, "trust": false}
  }
}
)";

// ~/.codex/config.toml
inline constexpr char kCodexUser[] = R"(model = "gpt-5"

[mcp_servers.context7]
command = "npx"
args = ["-y", "@upstash/context7-mcp"]
startup_timeout_sec = 20

[mcp_servers.context7.env]
DEBUG = "mcp:*"

[mcp_servers.figma]
url = "https://mcp.figma.com/mcp"
bearer_token_env_var = "FIGMA_OAUTH_TOKEN"
http_headers = { "X-Figma-Region" = "us-east-1" }
)";

// PROJECT/.codex/config.toml: the array on line 3 is never closed
inline constexpr char kCodexProjectBroken[] = R"([mcp_servers.linter]
command = "npx"
args = ["-y", "lint-mcp"
)";

inline void writeHostConfigSamples(const QString &home, const QString &project)
{
    writeSample(home + "/.config/Claude/claude_desktop_config.json", kClaudeDesktop);
    writeSample(home + "/.claude.json", kClaudeCodeUser);
    writeSample(project + "/.mcp.json", kClaudeCodeProject);
    writeSample(home + "/.cursor/mcp.json", kCursorUser);
    writeSample(project + "/.cursor/mcp.json", kCursorProject);
    writeSample(home + "/.config/Code/User/settings.json", kVsCodeSettings);
    writeSample(project + "/.vscode/mcp.json", kVsCodeProject);
    writeSample(home + "/.codeium/windsurf/mcp_config.json", kWindsurf);
    writeSample(
        home + "/.config/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json",
        kCline);
    writeSample(home + "/.gemini/settings.json", kGeminiUserBroken);
    writeSample(project + "/.gemini/settings.json", kGeminiProject);
    writeSample(home + "/.codex/config.toml", kCodexUser);
    writeSample(project + "/.codex/config.toml", kCodexProjectBroken);
    QDir().mkpath(home + "/.config/Code/User/mcp.json"); // a directory where VS Code's file would be
}

} // namespace testsupport
