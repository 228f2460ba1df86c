#pragma once
// SIGINT and SIGTERM end a run with its reports written (run_cases catches them). A signal that
// comes before a run has started would otherwise kill the process with nothing written: so the
// CLI holds them (blocked, kept pending) from its first line, and each run releases them in its
// own thread once it can catch them.

namespace upgradespec {

// Blocks SIGINT and SIGTERM in the calling thread and in the threads it starts later.
void hold_interrupts();

// Unblocks them in the calling thread: a pending one is delivered now (to the run's handler, or
// with its default effect when no run catches it).
void release_interrupts();

} // namespace upgradespec
