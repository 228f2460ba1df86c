#include "reports/write_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <random>
#include <sstream>

#include <fcntl.h>
#include <unistd.h>

namespace upgradespec {

namespace {

constexpr int max_name_attempts = 16;

std::string system_error(const std::string& what, const std::string& path) {
    return what + " " + path + ": " + std::strerror(errno);
}

// Creates a fresh temporary file next to `path` (so rename() stays on one file system).
int create_temporary(const std::string& path, std::string& temporary) {
    std::random_device seed;
    std::mt19937_64 random(seed());
    for (int attempt = 0; attempt < max_name_attempts; ++attempt) {
        temporary = path + ".tmp" + std::to_string(random() % 1000000000);
        const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST) return fd;
    }
    return -1;
}

bool write_all(int fd, const std::string& data) {
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

} // namespace

bool write_file(const std::string& path, const std::function<void(std::ostream&)>& writer,
                std::string& error) {
    std::ostringstream rendered;
    try {
        writer(rendered);
    } catch (const std::exception& e) {
        error = "cannot render " + path + ": " + e.what();
        return false;
    }

    std::string temporary;
    const int fd = create_temporary(path, temporary);
    if (fd < 0) {
        error = system_error("cannot create a temporary file for", path);
        return false;
    }
    bool ok = write_all(fd, rendered.str()) && ::fsync(fd) == 0;
    if (!ok) error = system_error("cannot write", temporary);
    if (::close(fd) != 0 && ok) {
        ok = false;
        error = system_error("cannot write", temporary);
    }
    if (ok && ::rename(temporary.c_str(), path.c_str()) != 0) {
        ok = false;
        error = system_error("cannot rename a temporary file to", path);
    }
    if (!ok) ::unlink(temporary.c_str());
    return ok;
}

} // namespace upgradespec
