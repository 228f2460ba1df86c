#pragma once
// Runs cases against the target: one connection per case, --jobs at once, every step under a
// deadline. The only place that knows about sockets.
#include "catalogue/loader.hpp"
#include "engine/interrupts.hpp"
#include "model/result.hpp"
#include "model/target.hpp"
#include "tls/client.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <vector>

namespace upgradespec {

struct RunOptions {
    int jobs = 4;
    std::chrono::milliseconds timeout{3000}; // each connect, write and read
    // Memory caps per case, whatever the target sends: bytes read and not yet consumed (a
    // response, a frame), and frames kept after a switch. A flood ends the case (not judged).
    std::size_t max_response_bytes = 1 << 20;
    std::size_t max_kept_bytes = 1 << 20;
    std::function<void(const CaseResult&)> on_case_finished; // called as each case ends
    tls::Config tls;         // for wss:// and https:// targets and RFC 2817 upgrades
    bool detect_echo = true; // probe a ws:// endpoint for an echo unless --echo or --no-echo
    // The runs a SIGINT/SIGTERM must end together (--targets); none: this run alone.
    std::shared_ptr<InterruptGroup> interrupts;
};

struct RunOutcome {
    std::vector<CaseResult> cases;     // in the order of the cases given
    std::string target_problem;        // the target failed a liveness probe: what and when
    bool interrupted = false;          // SIGINT or SIGTERM ended the run early
    std::vector<std::string> detected; // what the run found out about the target (an echo)
};

// Runs the cases, --jobs at once, each as soon as its own dependencies are done (engine/schedule).
// A plain GET probes the target first: when it gets no answer, nothing is judged.
// After every case tagged "destructive" the probe runs again; when the target stopped answering,
// the cases not yet started are not judged (error) and the outcome says after which case.
// A case whose dependency's own outcome did not pass, or whose needs the target does not meet,
// is skipped with the reason. Never throws for target behaviour; throws CatalogueError on a
// dependency cycle or a dependency missing from `cases`.
RunOutcome run_cases(const std::vector<Case>& cases, const Catalogue& catalogue,
                     const Target& target, const RunOptions& options);

} // namespace upgradespec
