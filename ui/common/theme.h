#pragma once

namespace mcpui {

// Light or dark: the Fusion style with a matching palette, so every widget follows the same colours.
void applyTheme(bool dark);

} // namespace mcpui
