#include "catalogue/case_reader.hpp"

#include "catalogue/loader.hpp" // CatalogueError

#include "encoding/hex.hpp"
#include "model/protocol_words.hpp" // h2::error_code

namespace upgradespec {

using nlohmann::json;

namespace {

class CaseReader {
  public:
    CaseReader(const json& j, const std::string& file, const std::string& family)
        : j_(j), file_(file), family_(family) {}

    Case read() const {
        Case c;
        c.id = j_.at("id");
        c.title = j_.at("title");
        c.family = family_;
        c.file = file_;
        c.requirement = j_.at("requirement");
        c.refs = j_.at("refs").get<std::vector<std::string>>();
        c.level = *parse_level(j_.at("level").get<std::string>());
        c.needs = j_.value("needs", std::vector<std::string>{});
        c.tags = j_.value("tags", std::vector<std::string>{});
        c.depends_on = j_.value("depends_on", std::vector<std::string>{});
        if (j_.contains("send")) c.send = read_send(j_.at("send"));
        if (j_.contains("then"))
            for (const auto& t : j_.at("then"))
                c.then.push_back({read_send(t.at("send")), t.value("pipelined", false)});
        c.read_until_close = j_.value("read_until_close", false);
        for (const auto& o : j_.at("outcomes"))
            c.outcomes.push_back(read_outcome(o, "outcomes"));
        c.otherwise = read_outcome(j_.at("otherwise"), "otherwise");
        if (j_.contains("after_101"))
            for (const auto& s : j_.at("after_101"))
                c.after_101.push_back(read_step(s));
        if (j_.contains("connect"))
            c.connect = Connect{j_["connect"].value("tls", true),
                                j_["connect"].value("alpn", std::vector<std::string>{}),
                                j_["connect"].value("listener", false)};
        if (j_.contains("h2"))
            for (const auto& s : j_.at("h2"))
                c.h2.push_back(read_step(s));
        if (j_.contains("backend")) c.backend = read_backend(j_.at("backend"));
        check_legs(c);
        return c;
    }

  private:
    [[noreturn]] void fail(const std::string& field, const std::string& why) const {
        throw CatalogueError(file_ + ": case \"" + j_.value("id", "?") + "\": field " + field +
                             ": " + why);
    }

    std::string hex(const json& value, const std::string& field) const {
        try {
            return hex_decode(value.get<std::string>());
        } catch (const std::invalid_argument& e) {
            fail(field, e.what());
        }
    }

    static BackendScript read_backend(const json& b) {
        BackendScript script;
        for (const auto& a : b.at("answers"))
            script.answers.push_back({a.value("if_field", ""), a.value("respond", ""),
                                      a.value("close", false), a.value("silent_ms", 0)});
        script.marker = b.value("marker", "");
        return script;
    }

    // An intermediary case tags its request so the backend can tell it from the others, and only
    // it has a backend leg to run steps on.
    void check_legs(const Case& c) const {
        static constexpr std::string_view tag = "Upgradespec-Case: {nonce}";
        const bool tagged =
            c.send.raw.find(tag) != std::string::npos ||
            std::find(c.send.add.begin(), c.send.add.end(), tag) != c.send.add.end();
        const bool needs_backend =
            std::find(c.needs.begin(), c.needs.end(), "backend") != c.needs.end();
        if (c.backend && !tagged)
            fail("send", "an intermediary case's request must carry the line \"" +
                             std::string(tag) + "\" (in raw, or in add)");
        if (c.backend.has_value() != needs_backend)
            fail("needs", "a case has a backend part exactly when it needs \"backend\"");
        using K = Step::Kind;
        static constexpr K backend_kinds[] = {
            K::send_frame,  K::expect_frame, K::expect_message,  K::expect_close,
            K::expect_open, K::send_raw,     K::close_connection};
        for (const auto& step : c.after_101) {
            if (step.leg != Leg::backend) continue;
            if (!c.backend) fail("after_101", "a step on the backend leg needs a backend part");
            if (std::find(std::begin(backend_kinds), std::end(backend_kinds), step.kind) ==
                std::end(backend_kinds))
                fail("after_101", "the backend leg runs only WebSocket, send_raw and close steps");
        }
    }

    Send read_send(const json& s) const {
        Send send;
        send.raw = s.value("raw", "");
        send.template_name = s.value("template", "");
        if (s.contains("method")) send.method = s["method"];
        if (s.contains("target")) send.target = s["target"];
        if (s.contains("version")) send.version = s["version"];
        if (s.contains("set"))
            for (auto& [name, value] : s["set"].items())
                send.set.emplace_back(name, value);
        send.remove = s.value("remove", std::vector<std::string>{});
        send.add = s.value("add", std::vector<std::string>{});
        if (s.contains("body")) send.body = s["body"];
        if (s.contains("then_hex")) send.then_bytes = hex(s["then_hex"], "send.then_hex");
        send.hold_body_ms = s.value("hold_body_ms", 0);
        return send;
    }

    static std::vector<std::string> statuses(const json& value) {
        std::vector<std::string> out;
        auto add = [&](const json& v) {
            out.push_back(v.is_number() ? std::to_string(v.get<int>()) : v.get<std::string>());
        };
        if (value.is_array())
            for (const auto& v : value)
                add(v);
        else
            add(value);
        return out;
    }

    static HeaderCheck read_header_check(const json& h) {
        HeaderCheck check;
        if (h.contains("present")) check.present = h["present"];
        if (h.contains("equals")) check.equals = h["equals"];
        if (h.contains("equals_nocase")) check.equals_nocase = h["equals_nocase"];
        if (h.contains("has_token")) check.has_token = h["has_token"];
        if (h.contains("has_element")) check.has_element = h["has_element"];
        if (h.contains("only_token")) check.only_token = h["only_token"];
        if (h.contains("count")) check.count = h["count"];
        if (h.contains("is_accept")) check.is_accept = h["is_accept"];
        return check;
    }

    static Outcome read_outcome(const json& o, const std::string&) {
        Outcome outcome;
        outcome.verdict = *parse_verdict(o.at("verdict").get<std::string>());
        outcome.why = o.value("why", "");
        outcome.skips_dependents = o.value("skips_dependents", false);
        if (o.contains("when")) outcome.when = read_predicate(o["when"]);
        return outcome;
    }

    static HoldEnd hold_end(const std::string& name) {
        if (name == "answered") return HoldEnd::answered;
        if (name == "continued") return HoldEnd::continued;
        return HoldEnd::silent; // the schema allows only these three
    }

    // The case files name the members flat; each protocol's go to its own part.
    static Predicate read_predicate(const json& w) {
        Predicate p;
        read_http1_predicate(w, p.http1);
        if (w.contains("steps_ok")) p.steps_ok = w["steps_ok"];
        if (w.contains("alpn")) p.tls.alpn = w["alpn"];
        if (w.contains("tls_refused")) p.tls.refused = w["tls_refused"];
        read_h2_predicate(w, p.h2);
        if (w.contains("backend_requests")) p.backend.requests = w["backend_requests"];
        if (w.contains("backend_header"))
            for (auto& [name, check] : w["backend_header"].items())
                p.backend.headers.emplace(name, read_header_check(check));
        if (w.contains("backend_marker")) p.backend.marker = w["backend_marker"];
        return p;
    }

    static void read_http1_predicate(const json& w, Http1Predicate& p) {
        if (w.contains("status")) p.status = statuses(w["status"]);
        if (w.contains("not_status")) p.not_status = statuses(w["not_status"]);
        if (w.contains("responded")) p.responded = w["responded"];
        if (w.contains("closed")) p.closed = w["closed"];
        if (w.contains("not_http")) p.not_http = w["not_http"];
        if (w.contains("h2_instead")) p.h2_instead = w["h2_instead"];
        if (w.contains("version")) p.version = w["version"];
        if (w.contains("body_empty")) p.body_empty = w["body_empty"];
        if (w.contains("header"))
            for (auto& [name, check] : w["header"].items())
                p.headers.emplace(name, read_header_check(check));
        if (w.contains("interim")) p.interim = statuses(w["interim"]);
        if (w.contains("interim_seen")) p.interim_seen = w["interim_seen"];
        if (w.contains("during_hold")) p.during_hold = hold_end(w["during_hold"]);
        if (w.contains("responses")) p.responses = w["responses"];
        if (w.contains("closed_after")) p.closed_after = w["closed_after"];
        if (w.contains("same_status_as")) p.same_status_as = w["same_status_as"];
        if (w.contains("second"))
            p.second = std::make_shared<Predicate>(read_predicate(w["second"]));
    }

    // `true` (any code: empty), one error name, or a list of them.
    static std::vector<std::uint32_t> error_codes(const json& e) {
        std::vector<std::uint32_t> codes;
        if (!e.is_boolean())
            for (const auto& name : e.is_array() ? e : json::array({e}))
                codes.push_back(h2::error_code(name.get<std::string>()).value());
        return codes;
    }

    // The members about a case's own HTTP/2 connection (RFC 8441 cases).
    static void read_h2_predicate(const json& w, H2Predicate& p) {
        if (w.contains("listener")) p.listener = w["listener"];
        if (w.contains("h2_status")) p.status = statuses(w["h2_status"]);
        if (w.contains("h2_reset")) p.reset = error_codes(w["h2_reset"]);
        if (w.contains("h2_goaway")) p.goaway = error_codes(w["h2_goaway"]);
        if (w.contains("h2_header"))
            for (auto& [name, check] : w["h2_header"].items())
                p.headers.emplace(name, read_header_check(check));
        if (w.contains("h2_settings"))
            for (auto& [id, values] : w["h2_settings"].items()) {
                auto& list = p.settings[static_cast<std::uint16_t>(std::stoul(id))];
                for (const auto& v : values.is_array() ? values : json::array({values}))
                    list.push_back(v.get<std::uint32_t>());
            }
    }

    static int opcode(const json& value) {
        if (value.is_number()) return value.get<int>();
        static constexpr std::pair<std::string_view, int> names[] = {
            {"continuation", 0}, {"text", 1}, {"binary", 2},
            {"close", 8},        {"ping", 9}, {"pong", 10}};
        for (auto& [name, code] : names)
            if (name == value.get<std::string>()) return code;
        return -1; // unreachable: the schema allows only the names above
    }

    FrameSpec read_frame(const json& f, const std::string& field) const {
        FrameSpec frame;
        frame.opcode = opcode(f["opcode"]);
        frame.payload = f.contains("payload_hex") ? hex(f["payload_hex"], field + ".payload_hex")
                                                  : f.value("payload", "");
        frame.fin = f.value("fin", true);
        frame.mask = f.value("mask", true);
        frame.rsv1 = f.value("rsv1", false);
        frame.rsv2 = f.value("rsv2", false);
        frame.rsv3 = f.value("rsv3", false);
        if (f.contains("close_code")) frame.close_code = f["close_code"];
        return frame;
    }

    Step read_step(const json& s) const {
        Step step{};
        step.why = s.value("why", "");
        if (s.value("leg", "client") == "backend") step.leg = Leg::backend;
        if (s.contains("close")) {
            step.kind = Step::Kind::close_connection;
        } else if (s.contains("send_frame")) {
            step.kind = Step::Kind::send_frame;
            step.frame = read_frame(s["send_frame"], "after_101.send_frame");
        } else if (s.contains("expect_frame") || s.contains("expect_message")) {
            bool whole = s.contains("expect_message");
            const json& e = whole ? s["expect_message"] : s["expect_frame"];
            step.kind = whole ? Step::Kind::expect_message : Step::Kind::expect_frame;
            step.opcode = opcode(e["opcode"]);
            if (e.contains("payload")) step.payload = e["payload"];
        } else if (s.contains("expect_close")) {
            step.kind = Step::Kind::expect_close;
            step.close_frame_required = s["expect_close"].value("close_frame", "") == "required";
        } else if (s.contains("expect_open")) {
            step.kind = Step::Kind::expect_open;
            step.quiet_ms = s["expect_open"]["quiet_ms"];
            step.frames_ok = s["expect_open"].value("frames_ok", false);
        } else if (!read_tls_step(s, step)) {
            read_h2_step(s, step);
        }
        return step;
    }

    // The TLS steps (after an RFC 2817 101); false when the step is none of them.
    bool read_tls_step(const json& s, Step& step) const {
        if (s.contains("start_tls")) {
            step.kind = Step::Kind::start_tls;
            step.tls_start_only = s["start_tls"].value("start_only", false);
        } else if (s.contains("expect_response_in_tls")) {
            step.kind = Step::Kind::expect_response_in_tls;
        } else if (s.contains("send_raw")) {
            const json& r = s["send_raw"];
            step.kind = Step::Kind::send_raw;
            step.bytes = r.contains("payload_hex")
                             ? hex(r["payload_hex"], "after_101.send_raw.payload_hex")
                             : r.value("payload", "");
        } else if (s.contains("expect_tls_close")) {
            step.kind = Step::Kind::expect_tls_close;
        } else {
            return false;
        }
        return true;
    }

    // The h2 steps (after an h2c 101): the step's one key names the kind (the schema says so).
    void read_h2_step(const json& s, Step& step) const {
        static const std::pair<std::string, Step::Kind> kinds[] = {
            {"h2_preface", Step::Kind::h2_preface},
            {"send_h2_frame", Step::Kind::send_h2_frame},
            {"send_h2_raw", Step::Kind::send_h2_raw},
            {"expect_h2_settings_first", Step::Kind::expect_h2_settings_first},
            {"expect_h2_settings_ack", Step::Kind::expect_h2_settings_ack},
            {"expect_h2_response", Step::Kind::expect_h2_response},
            {"expect_h2_goaway", Step::Kind::expect_h2_goaway},
            {"expect_h2_reset", Step::Kind::expect_h2_reset},
            {"send_h2_headers", Step::Kind::send_h2_headers},
            {"send_h2_ws_frame", Step::Kind::send_h2_ws_frame},
            {"expect_h2_ws_frame", Step::Kind::expect_h2_ws_frame},
            {"check_listener", Step::Kind::check_listener}};
        for (const auto& [name, kind] : kinds) {
            if (!s.contains(name)) continue;
            step.kind = kind;
            step.h2 = read_h2_spec(s[name], "after_101." + name);
            return;
        }
    }

    H2StepSpec read_h2_spec(const json& d, const std::string& field) const {
        H2StepSpec h2;
        if (d.contains("type"))
            h2.type = d["type"].is_number() ? d["type"].get<int>()
                                            : h2::frame_type(d["type"].get<std::string>()).value();
        h2.flags = d.value("flags", 0);
        h2.stream = d.value("stream", 0u);
        h2.payload = d.contains("payload_hex") ? hex(d["payload_hex"], field + ".payload_hex")
                                               : d.value("payload", "");
        if (d.contains("status")) h2.status = d["status"];
        if (d.contains("error")) {
            const json& e = d["error"];
            for (const auto& name : e.is_array() ? e : json::array({e}))
                h2.errors.push_back(h2::error_code(name.get<std::string>()).value());
        }
        h2.close_ok = d.value("close_ok", true);
        h2.head_only = d.value("head_only", false);
        if (d.contains("fields"))
            for (const auto& f : d["fields"])
                h2.fields.emplace_back(f.at(0).get<std::string>(), f.at(1).get<std::string>());
        h2.end_stream = d.value("end_stream", false);
        if (d.contains("frame")) h2.ws = read_frame(d["frame"], field + ".frame");
        if (d.contains("opcode")) h2.ws_opcode = opcode(d["opcode"]);
        if (d.contains("ws_payload")) h2.ws_payload = d["ws_payload"];
        return h2;
    }

    const json& j_;
    const std::string& file_;
    const std::string& family_;
};

} // namespace

Case read_case(const json& entry, const std::string& file, const std::string& family) {
    return CaseReader(entry, file, family).read();
}

} // namespace upgradespec
