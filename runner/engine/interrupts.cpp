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

} // namespace upgradespec
