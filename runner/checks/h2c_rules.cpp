#include "checks/h2c_rules.hpp"

#include "encoding/base64.hpp"
#include "h2/frame.hpp"
#include "wire/fields.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace upgradespec {

namespace {

H2cRuleVerdict fail(std::string why) {
    return std::pair{Verdict::fail, std::move(why)};
}

// The last ENABLE_PUSH value of the request's HTTP2-Settings (later values override earlier
// ones, as in any SETTINGS frame); nullopt when the request set none or it cannot be decoded.
std::optional<std::uint32_t> requested_enable_push(const SentRequest& request) {
    std::optional<std::uint32_t> value;
    for (const auto& [name, field] : request.fields) {
        if (!iequals(name, "HTTP2-Settings")) continue;
        auto payload = base64url_decode(trim_ows(field));
        auto settings = payload ? h2::decode_settings(*payload) : std::nullopt;
        if (!settings) continue;
        for (const auto& s : *settings)
            if (s.id == h2::setting::enable_push) value = s.value;
    }
    return value;
}

bool has_uppercase(std::string_view name) {
    return std::any_of(name.begin(), name.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

std::string where(const H2HeaderBlock& block) {
    return (block.frame_type == h2::type::push_promise ? "the PUSH_PROMISE on stream "
                                                       : "the header block on stream ") +
           std::to_string(block.stream);
}

std::string settings_problem(const H2Frame& f) {
    auto settings = h2::decode_settings(f.payload);
    if (!settings)
        return "the server sent a SETTINGS frame of " + std::to_string(f.payload.size()) +
               " bytes, not a multiple of 6";
    for (const auto& s : *settings) {
        if (s.id == h2::setting::enable_push && s.value != 0)
            return "the server's SETTINGS carry ENABLE_PUSH=" + std::to_string(s.value) +
                   ": a server may only send 0";
        if (auto problem = h2::setting_problem(s); !problem.empty())
            return "the server's SETTINGS carry " + problem;
    }
    return "";
}

} // namespace

H2cRuleVerdict http2_settings_in_response_rule(const Observation& seen) {
    std::vector<const ResponseHead*> heads;
    for (const auto& h : seen.interim)
        heads.push_back(&h);
    if (seen.head) heads.push_back(&*seen.head);
    for (const ResponseHead* h : heads)
        if (h->has("HTTP2-Settings"))
            return fail("the " + std::to_string(h->status) +
                        " carries HTTP2-Settings, a field only a client sends");
    return std::nullopt;
}

H2cRuleVerdict server_preface_rule(const Observation& seen) {
    if (seen.h2_frames.empty()) {
        if (seen.h2_unreadable.empty()) return std::nullopt;
        return fail("the bytes after the 101 are not HTTP/2 frames: " + seen.h2_unreadable);
    }
    const H2Frame& first = seen.h2_frames.front();
    bool preface =
        first.type == h2::type::settings && first.stream == 0 && !(first.flags & h2::flag::ack);
    if (preface) return std::nullopt;
    return fail("the server's first HTTP/2 frame was " + h2::describe(first) +
                ", not its SETTINGS");
}

H2cRuleVerdict push_disabled_rule(const Observation& seen) {
    if (requested_enable_push(seen.request) != 0u) return std::nullopt;
    for (const auto& f : seen.h2_frames)
        if (f.type == h2::type::push_promise)
            return fail("the server sent a PUSH_PROMISE on stream " + std::to_string(f.stream) +
                        " although HTTP2-Settings set ENABLE_PUSH=0");
    return std::nullopt;
}

H2cRuleVerdict server_settings_rule(const Observation& seen) {
    for (const auto& f : seen.h2_frames) {
        bool announced = f.type == h2::type::settings && !(f.flags & h2::flag::ack);
        if (!announced) continue;
        if (auto problem = settings_problem(f); !problem.empty()) return fail(problem);
    }
    for (const auto& block : seen.h2_headers)
        for (const auto& [name, value] : block.fields)
            if (has_uppercase(name))
                return fail(where(block) + " has the field name \"" + name +
                            "\": HTTP/2 field names are lowercase");
    return std::nullopt;
}

H2cRuleVerdict connect_protocol_setting_rule(const Observation& seen) {
    bool enabled = false;
    for (const auto& f : seen.h2_frames) {
        if (f.type != h2::type::settings || (f.flags & h2::flag::ack)) continue;
        for (const auto& s : h2::decode_settings(f.payload).value_or(std::vector<h2::Setting>{})) {
            if (s.id != h2::setting::enable_connect_protocol) continue;
            if (s.value > 1)
                return fail("the server's SETTINGS carry ENABLE_CONNECT_PROTOCOL=" +
                            std::to_string(s.value) + ": only 0 and 1 are allowed");
            if (enabled && s.value == 0)
                return fail("a later SETTINGS frame took ENABLE_CONNECT_PROTOCOL back from 1 to 0");
            enabled = s.value == 1;
        }
    }
    return std::nullopt;
}

H2cRuleVerdict connect_2xx_length_rule(const Observation& seen) {
    auto is_connect = [&](std::uint32_t stream) {
        for (const auto& sent : seen.h2_sent)
            if (sent.stream == stream)
                for (const auto& [name, value] : sent.fields)
                    if (name == ":method" && value == "CONNECT") return true;
        return false;
    };
    for (const auto& block : seen.h2_headers) {
        if (block.frame_type != h2::type::headers || !is_connect(block.stream)) continue;
        bool success = false;
        for (const auto& [name, value] : block.fields)
            success |= name == ":status" && value.size() == 3 && value[0] == '2';
        if (!success) continue;
        for (const auto& [name, value] : block.fields)
            if (iequals(name, "content-length") || iequals(name, "transfer-encoding"))
                return fail("the 2xx answering the CONNECT on stream " +
                            std::to_string(block.stream) + " carries \"" + name + ": " + value +
                            "\": a successful CONNECT's response has no content framing");
    }
    return std::nullopt;
}

H2cRuleVerdict connection_fields_in_h2_rule(const Observation& seen) {
    static constexpr std::array<std::string_view, 5> connection_specific{
        "connection", "proxy-connection", "keep-alive", "transfer-encoding", "upgrade"};
    for (const auto& block : seen.h2_headers)
        for (const auto& [name, value] : block.fields)
            for (auto banned : connection_specific)
                if (iequals(name, banned))
                    return fail(where(block) + " carries \"" + name + ": " + value +
                                "\", a connection-specific field HTTP/2 forbids");
    return std::nullopt;
}

} // namespace upgradespec
