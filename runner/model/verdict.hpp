#pragma once
// Verdicts, requirement levels and their text forms: shared by the engine and the writers.
#include <optional>
#include <string>
#include <string_view>

namespace upgradespec {

// Ordered by severity: a case's verdict is the worst of its findings.
enum class Verdict { pass, info, skip, warn, fail, error };

enum class Level { must, should, may };

std::string_view to_string(Verdict v);
std::string_view to_string(Level l);
std::optional<Verdict> parse_verdict(std::string_view text);
std::optional<Level> parse_level(std::string_view text);

// The worse of two verdicts (error > fail > warn > skip > info > pass).
Verdict worst(Verdict a, Verdict b);

} // namespace upgradespec
