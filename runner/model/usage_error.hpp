#pragma once
// A problem with what the user asked for: an option, a target URL, a profile or targets file.
// The command line prints it and exits 2. It lives at the bottom so every layer that reads the
// user's words (the model's URL parser, the gate's --shard, the inputs) can throw it.
#include <stdexcept>

namespace upgradespec {

class UsageError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

} // namespace upgradespec
