// Fuzzes the JSON report reader behind `merge` and `compare` (reports/json_read.hpp): the input
// is parsed as JSON and read with run_from_json against suite/schema/report.schema.json. Text
// that is not JSON, and an InputError, are clean refusals; any other exception escapes and is a
// finding.
#include "catalogue/json_input.hpp"
#include "reports/json_read.hpp"

#include <cstddef>
#include <cstdint>

using namespace upgradespec;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::filesystem::path schema =
        std::filesystem::path(UPGRADESPEC_SUITE_DIR) / "schema" / "report.schema.json";
    auto doc = nlohmann::json::parse(data, data + size, nullptr, false);
    if (doc.is_discarded()) return 0;
    try {
        RunResult run = run_from_json(doc, schema, "fuzz.json");
        (void)run;
    } catch (const InputError&) {
    }
    return 0;
}
