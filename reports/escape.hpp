#pragma once
// Text forms of raw bytes for the report writers. Transcripts and server messages are bytes,
// not UTF-8: these helpers make them safe for XML, JSON and terminals.
#include <string>
#include <string_view>

namespace upgradespec {

// Printable ASCII as is; \r \n \t as escapes, with a real newline after each \n so a
// transcript keeps its line shape; every other byte as \xNN. The result is pure ASCII.
std::string printable(std::string_view bytes);

// As printable(), without the real newlines: for one-line fields and XML attributes.
std::string printable_line(std::string_view bytes);

// Keeps valid UTF-8 text (printable ASCII and code points from U+00A0) and escapes the rest
// like printable_line(): the result is valid UTF-8 without control characters, safe for a
// terminal and for JSON.
std::string readable(std::string_view text);

// & < > " ' as character references: safe text and attribute values in XML and HTML alike.
std::string markup_escape(std::string_view text);

} // namespace upgradespec
