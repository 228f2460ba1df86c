#pragma once
// The JSON report (suite/schema/report.schema.json, schema_version 3). Every string in it is
// valid UTF-8 whatever bytes the target sent; transcripts keep their exact bytes in base64.
#include "model/result.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace upgradespec {

nlohmann::json to_json(const RunResult& run);

// Pretty-printed with two spaces, ending with a newline.
void write_json(const RunResult& run, std::ostream& out);

} // namespace upgradespec
