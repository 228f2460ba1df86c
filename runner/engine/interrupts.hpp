#pragma once
// SIGINT and SIGTERM end a run with its reports written (run_cases catches them). A signal that
// comes before a run has started would otherwise kill the process with nothing written: so the
// CLI holds them (blocked, kept pending) from its first line, and each run releases them in its
// own thread once it can catch them.

#include <functional>
#include <map>
#include <mutex>

namespace upgradespec {

// The runs of one process (--targets runs one per target, each in its own thread): a signal
// reaches the first run whose thread unblocks it, and must end them all, including a run that
// starts after it arrived.
class InterruptGroup {
  public:
    // A run joins with how to stop it (callable from any thread); when the group was already
    // interrupted, `stop` runs at once. leave() before the run's stop action becomes invalid.
    void join(const void* run, std::function<void()> stop);
    void leave(const void* run);
    // Stops every run of the group, now and later.
    void interrupt();

  private:
    std::mutex lock_;
    bool interrupted_ = false;
    std::map<const void*, std::function<void()>> runs_;
};

// Blocks SIGINT and SIGTERM in the calling thread and in the threads it starts later.
void hold_interrupts();

// Unblocks them in the calling thread: a pending one is delivered now (to the run's handler, or
// with its default effect when no run catches it).
void release_interrupts();

} // namespace upgradespec
