#pragma once
// Text forms of raw bytes for the report writers. Transcripts and server messages are bytes,
// not UTF-8: these helpers make them safe for XML, JSON and terminals.
#include "describe/printable.hpp" // printable, printable_line

#include <string>
#include <string_view>

namespace upgradespec {

// Keeps valid UTF-8 text (printable ASCII and code points from U+00A0) and escapes the rest
// like printable_line(): the result is valid UTF-8 without control characters, safe for a
// terminal and for JSON.
std::string readable(std::string_view text);

// & < > " ' as character references: safe text and attribute values in XML and HTML alike.
std::string markup_escape(std::string_view text);

} // namespace upgradespec
