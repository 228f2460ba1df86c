#pragma once
// Report files appear whole or not at all: a reader never sees half a report.
#include <functional>
#include <ostream>
#include <string>

namespace upgradespec {

// Renders `writer` into memory, writes it to a temporary file beside `path` and renames it
// over `path`. Returns false and fills `error` on failure (also when `writer` throws); the
// temporary file is then removed and `path` left untouched.
bool write_file(const std::string& path, const std::function<void(std::ostream&)>& writer,
                std::string& error);

} // namespace upgradespec
