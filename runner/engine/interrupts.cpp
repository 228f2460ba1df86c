#include "engine/interrupts.hpp"

#include <pthread.h>
#include <signal.h>

namespace upgradespec {

namespace {

void mask_interrupts(int how) {
    sigset_t interrupts;
    sigemptyset(&interrupts);
    sigaddset(&interrupts, SIGINT);
    sigaddset(&interrupts, SIGTERM);
    pthread_sigmask(how, &interrupts, nullptr);
}

} // namespace

void hold_interrupts() {
    mask_interrupts(SIG_BLOCK);
}

void release_interrupts() {
    mask_interrupts(SIG_UNBLOCK);
}

void InterruptGroup::join(const void* run, std::function<void()> stop) {
    std::lock_guard guard(lock_);
    if (interrupted_) stop();
    runs_[run] = std::move(stop);
}

void InterruptGroup::leave(const void* run) {
    std::lock_guard guard(lock_);
    runs_.erase(run);
}

void InterruptGroup::interrupt() {
    std::lock_guard guard(lock_);
    interrupted_ = true;
    for (auto& [run, stop] : runs_)
        stop();
}

} // namespace upgradespec
