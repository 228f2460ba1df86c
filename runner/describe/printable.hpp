#pragma once
// Raw bytes as printable text: a step's payload in describe/'s words, a transcript in the
// writers' (reports/escape.hpp adds the forms for UTF-8 text and markup).
#include <string>
#include <string_view>

namespace upgradespec {

// Printable ASCII as is; \r \n \t as escapes, with a real newline after each \n so a
// transcript keeps its line shape; every other byte as \xNN. The result is pure ASCII.
std::string printable(std::string_view bytes);

// As printable(), without the real newlines: for one-line fields and XML attributes.
std::string printable_line(std::string_view bytes);

} // namespace upgradespec
