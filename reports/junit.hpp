#pragma once
// JUnit XML: one testsuite per family. Always well-formed and pure ASCII, whatever bytes the
// target sent.
#include "model/result.hpp"

#include <ostream>

namespace upgradespec {

void write_junit(const RunResult& run, std::ostream& out);

} // namespace upgradespec
