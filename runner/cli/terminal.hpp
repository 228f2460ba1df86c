#pragma once
// The console's colour: only on a terminal, and never with NO_COLOR (https://no-color.org).
#include <cstdlib>
#include <unistd.h>

namespace upgradespec {

inline bool stdout_wants_color() {
    return isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
}

} // namespace upgradespec
