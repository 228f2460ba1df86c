#pragma once
// The h2 steps after an h2c 101, as plain logic: the bytes a sending step writes, and the
// judgement of an expecting step frame by frame. The executor owns the socket and feeds this.
#include "model/case.hpp"
#include "model/observation.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>

namespace upgradespec::h2 {

class HpackEncoder;

// h2_preface, send_h2_frame, send_h2_raw, send_h2_headers, send_h2_ws_frame
bool is_sending(const Step& step);

// What a sending step writes. h2_preface: the client preface and a SETTINGS frame with
// ENABLE_PUSH=0, the same promise H2C_BASE's HTTP2-Settings makes.
std::string step_bytes(const Step& step);
// The same, encoding send_h2_headers' fields with the connection's HPACK context.
std::string step_bytes(const Step& step, HpackEncoder& encoder);

// Where an expecting step stands: still reading, held, or failed with a message.
struct Progress {
    bool done = false;
    std::string failure; // when done: empty if the step held
};

// One expect_h2_* step. Frames the server sent before the step began are replayed through
// on_frame() for the two SETTINGS steps (the server may have sent them during earlier steps);
// the others judge only what arrives after they begin.
class Expectation {
  public:
    explicit Expectation(Step step) : step_(std::move(step)) {}

    bool looks_back() const;

    // One more server frame, with the header block it completed (if any). `first` says that
    // it is the first frame the server sent on the connection.
    Progress on_frame(const H2Frame& frame, const H2HeaderBlock* block, bool first);

    // Reading ended before the step decided: `closed` by the server (EOF or reset), or not
    // (a timeout, or bytes that are not HTTP/2), as `why` says. The failure, or "" if it holds.
    std::string on_end(bool closed, const std::string& why) const;

    // The :status of the response an expect_h2_response step read.
    std::optional<int> status() const { return status_; }

  private:
    Progress settings_first(const H2Frame& f, bool first) const;
    Progress settings_ack(const H2Frame& f) const;
    Progress response(const H2Frame& f, const H2HeaderBlock* block);
    Progress response_headers(const H2Frame& f, const H2HeaderBlock& block);
    Progress goaway(const H2Frame& f) const;
    Progress reset(const H2Frame& f) const;
    Progress ws_frame(const H2Frame& f);
    bool allowed(std::uint32_t code) const;
    std::string allowed_names() const;

    Step step_;
    std::optional<std::uint32_t> response_stream_; // once its final HEADERS arrived
    std::optional<int> status_;
    std::map<std::uint32_t, bool> ends_stream_; // a HEADERS frame's END_STREAM, by stream
    std::string ws_bytes_; // expect_h2_ws_frame: the stream's DATA, not yet a whole frame
};

} // namespace upgradespec::h2
