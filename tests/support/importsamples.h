#pragma once

// Samples for import and export (core/config/configimport, serverjson, envfile, hostexport), each written
// from its documented format: an MCP registry server.json (schema 2025-12-11) with npm, pypi and oci packages
// and two remotes; a VS Code mcp.json with inputs and an envFile; an envFile with good and bad lines; and
// broken ones. Used by tst_configimport, tst_configexport and the connection dialog's test.

// A server.json with a package of each registry type and two remotes.
inline constexpr char kServerJson[] = R"({
  "$schema": "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json",
  "name": "io.github.example/weather",
  "title": "Weather",
  "description": "Forecasts and alerts",
  "version": "1.2.0",
  "repository": {"url": "https://github.com/example/weather", "source": "github"},
  "packages": [
    {
      "registryType": "npm",
      "identifier": "@example/weather-mcp",
      "version": "1.2.0",
      "transport": {"type": "stdio"},
      "packageArguments": [
        {"type": "named", "name": "--units", "value": "metric"},
        {"type": "positional", "valueHint": "region", "isRequired": true, "description": "Region code"}
      ],
      "environmentVariables": [
        {"name": "WEATHER_API_KEY", "description": "API key", "isRequired": true, "isSecret": true},
        {"name": "LOG_LEVEL", "default": "info"}
      ]
    },
    {
      "registryType": "pypi",
      "identifier": "weather-mcp",
      "version": "1.2.0",
      "runtimeHint": "uvx",
      "transport": {"type": "stdio"}
    },
    {
      "registryType": "oci",
      "identifier": "docker.io/example/weather-mcp:1.2.0",
      "transport": {"type": "stdio"},
      "runtimeArguments": [{"type": "named", "name": "--network", "value": "host"}],
      "environmentVariables": [{"name": "WEATHER_API_KEY", "isSecret": true, "isRequired": true}]
    }
  ],
  "remotes": [
    {
      "type": "streamable-http",
      "url": "https://{tenant}.weather.example.com/mcp",
      "variables": {"tenant": {"description": "Your tenant", "isRequired": true}},
      "headers": [{"name": "Authorization", "value": "Bearer {token}",
                   "variables": {"token": {"isSecret": true, "isRequired": true}}}]
    },
    {"type": "sse", "url": "https://weather.example.com/sse"}
  ]
}
)";

// A VS Code .vscode/mcp.json: an input asked when connecting, an envFile.
inline constexpr char kVsCodeInputs[] = R"({
  // asked when the server starts
  "inputs": [
    {"type": "promptString", "id": "api-key", "description": "Notes API key", "password": true}
  ],
  "servers": {
    "notes": {
      "type": "stdio",
      "command": "npx",
      "args": ["-y", "notes-mcp@2.0.1", "--workspace", "${workspaceFolder}"],
      "env": {"NOTES_API_KEY": "${input:api-key}", "HOME_DIR": "${env:HOME}"},
      "envFile": "${workspaceFolder}/.env",
    },
    "search": {"type": "http", "url": "https://search.example.com/mcp",
               "headers": {"Authorization": "Bearer ${input:api-key}"}},
  },
}
)";

// An envFile: comments, export, quotes; line 6 is no assignment, line 7 has an unclosed quote.
inline constexpr char kEnvFile[] = R"(# notes server
export NOTES_URL=https://notes.example.com
NOTES_USER = "ada lovelace"   # who
NOTES_PATH='/tmp/a b'

this is not an assignment
NOTES_TOKEN="unclosed
MULTI="line\nbreak"
)";

// A server.json whose second package has no identifier and whose remote has an unknown type (each reported
// at the line of its list: 3 and 7).
inline constexpr char kServerJsonBroken[] = R"({
  "name": "io.example/broken",
  "packages": [
    {"registryType": "npm", "identifier": "ok-mcp", "version": "1.0.0"},
    {"registryType": "npm"}
  ],
  "remotes": [{"type": "carrier-pigeon", "url": "https://example.com"}]
}
)";
