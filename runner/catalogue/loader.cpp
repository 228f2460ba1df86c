#include "catalogue/loader.hpp"

#include "catalogue/fingerprint.hpp"
#include "catalogue/json_input.hpp"
#include "catalogue/requirement_json.hpp"

#include "encoding/hex.hpp"
#include "model/protocol_words.hpp" // h2::error_code

#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>
#include <set>

namespace upgradespec {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// The requirements catalogue's file name, in the shipped suite/ and in any --suite DIR.
constexpr const char* requirements_file = "requirements.json";

// json_input's errors, with the same message, as catalogue errors.
template <typename Read> auto catalogue_input(Read read) -> decltype(read()) {
    try {
        return read();
    } catch (const InputError& e) {
        throw CatalogueError(e.what());
    }
}

std::string read_text(const fs::path& path) {
    return catalogue_input([&] { return read_text_file(path); });
}

json parse_json(const std::string& text, const std::string& file) {
    return catalogue_input([&] { return parse_json_text(text, file); });
}

// Names the entry an error context points into: `case "ws.key.missing"`, `requirement
// "WS-ACCEPT"` or `cases[3]`.
std::string entry_label(const json& doc, const std::vector<std::string>& context) {
    if (context.size() < 3) return "";
    const std::string list = context[1] == "[cases]" ? "case" : "requirement";
    if (context[1] != "[cases]" && context[1] != "[requirements]") return "";
    const std::string& index_part = context[2];
    std::size_t index = std::stoul(index_part.substr(1, index_part.size() - 2));
    const json& entries = doc[context[1].substr(1, context[1].size() - 2)];
    if (index < entries.size() && entries[index].contains("id") && entries[index]["id"].is_string())
        return list + " \"" + entries[index]["id"].get<std::string>() + "\"";
    return list + "s[" + std::to_string(index) + "]";
}

// A catalogue file's schema in suite/schema/; its errors name the case or requirement too.
// A file whose validation key is trusted (validated at build time) is not validated again, and
// the schema is parsed only when a file needs it: validating costs more than the rest of loading.
class SchemaValidator {
  public:
    SchemaValidator(const fs::path& schema_path, const std::set<std::string>& trusted,
                    std::vector<std::string>& validated)
        : schema_path_(schema_path), schema_text_(read_text(schema_path)), trusted_(trusted),
          validated_(validated) {}

    // Throws with the most specific error: the one deepest in the document parsed from `text`.
    void check(const json& doc, std::string_view text, const std::string& file) {
        std::string key = validation_key(schema_text_, text);
        if (trusted_.count(key)) return;
        if (!schema_) schema_.emplace(catalogue_input([&] { return JsonSchema(schema_path_); }));
        validated_.push_back(std::move(key));
        auto violation = schema_->violation(doc);
        if (!violation) return;
        std::string where = entry_label(doc, violation->context);
        throw CatalogueError(file + ": " + (where.empty() ? "" : where + ": ") + "field " +
                             violation->field + ": " + violation->why + " (schema: suite/schema/" +
                             schema_path_.filename().string() + ")");
    }

  private:
    fs::path schema_path_;
    std::string schema_text_;
    const std::set<std::string>& trusted_;
    std::vector<std::string>& validated_;
    std::optional<JsonSchema> schema_;
};

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

std::vector<Case> read_cases(const std::string& text, const std::string& file,
                             SchemaValidator& validator) {
    const json doc = parse_json(text, file);
    validator.check(doc, text, file);
    std::string family = doc["family"];
    std::vector<Case> cases;
    for (const auto& j : doc["cases"])
        cases.push_back(CaseReader(j, file, family).read());
    return cases;
}

std::map<std::string, std::string> load_templates(const std::string& file_text,
                                                  const fs::path& path) {
    json doc = parse_json(file_text, path.string());
    if (!doc.contains("templates") || !doc["templates"].is_object())
        throw CatalogueError(path.string() + ": field templates: missing or not an object");
    std::map<std::string, std::string> templates;
    for (auto& [name, text] : doc["templates"].items()) {
        if (!text.is_string())
            throw CatalogueError(path.string() + ": field templates." + name + ": not a string");
        templates[name] = text.get<std::string>();
    }
    return templates;
}

std::vector<fs::path> case_files(const fs::path& dir) {
    if (!fs::is_directory(dir)) throw CatalogueError(dir.string() + ": not a folder");
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.is_regular_file() && entry.path().extension() == ".json" &&
            entry.path().filename() != "templates.json" &&
            entry.path().filename() != requirements_file)
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

std::vector<Requirement> read_requirements(const std::string& text, const std::string& file,
                                           SchemaValidator& validator) {
    const json doc = parse_json(text, file);
    validator.check(doc, text, file);
    std::vector<Requirement> requirements;
    for (const auto& j : doc.at("requirements"))
        requirements.push_back(requirement_from_json(j.at("id"), j));
    return requirements;
}

// Every requirements file of the sources: the shipped one, then each --suite DIR's own.
void load_requirements(const CatalogueSources& sources, Catalogue& catalogue,
                       Fingerprint& fingerprint) {
    SchemaValidator validator(sources.builtin_dir / "schema" / "requirements.schema.json",
                              sources.trusted_keys, catalogue.validated_keys);
    std::vector<fs::path> files{sources.builtin_dir / requirements_file};
    for (const auto& dir : sources.extra_dirs)
        if (fs::exists(dir / requirements_file)) files.push_back(dir / requirements_file);
    std::map<std::string, std::string> defined_in;
    for (const auto& file : files) {
        const std::string text = read_text(file);
        fingerprint.add(file.filename().string(), text);
        for (auto& r : read_requirements(text, file.string(), validator)) {
            auto [it, fresh] = defined_in.emplace(r.id, file.string());
            if (!fresh)
                throw CatalogueError(file.string() + ": requirement \"" + r.id +
                                     "\": field id: already defined in " + it->second);
            catalogue.requirements.push_back(std::move(r));
        }
    }
}

// same_status_as compares with a case that ran first: one of depends_on.
void check_compared_cases(const Case& c) {
    auto check = [&](const Predicate& when, const std::string& field) {
        const auto& compared = when.http1.same_status_as;
        if (compared &&
            std::find(c.depends_on.begin(), c.depends_on.end(), *compared) == c.depends_on.end())
            throw CatalogueError(c.file + ": case \"" + c.id + "\": field " + field +
                                 ".same_status_as: \"" + *compared + "\" is not in depends_on");
    };
    for (const auto& outcome : c.outcomes)
        check(outcome.when, "outcomes[].when");
    check(c.otherwise.when, "otherwise");
}

// Cross-case rules the schema cannot say: unique ids, known requirements, templates and
// dependencies.
void check_references(const Catalogue& catalogue) {
    std::map<std::string, const Case*> by_id;
    for (const auto& c : catalogue.cases) {
        auto [it, fresh] = by_id.emplace(c.id, &c);
        if (!fresh)
            throw CatalogueError(c.file + ": case \"" + c.id + "\": field id: already used in " +
                                 it->second->file);
        if (!catalogue.requirement(c.requirement))
            throw CatalogueError(c.file + ": case \"" + c.id + "\": field requirement: \"" +
                                 c.requirement + "\" is not in the requirements catalogue (" +
                                 requirements_file + ")");
        std::vector<const Send*> sends{&c.send};
        for (const auto& follow_up : c.then)
            sends.push_back(&follow_up.send);
        for (const Send* send : sends)
            if (!send->template_name.empty() && !catalogue.templates.count(send->template_name))
                throw CatalogueError(c.file + ": case \"" + c.id +
                                     "\": field send.template: no template named \"" +
                                     send->template_name + "\" in suite/templates.json");
    }
    for (const auto& c : catalogue.cases) {
        for (const auto& dep : c.depends_on)
            if (!by_id.count(dep) || dep == c.id)
                throw CatalogueError(c.file + ": case \"" + c.id +
                                     "\": field depends_on: no other case has the id \"" + dep +
                                     "\"");
        check_compared_cases(c);
    }
}

} // namespace

std::string validation_key(std::string_view schema_text, std::string_view file_text) {
    Fingerprint key;
    key.add("schema", schema_text);
    key.add("file", file_text);
    return key.hex();
}

const Requirement* Catalogue::requirement(const std::string& id) const {
    auto it = std::find_if(requirements.begin(), requirements.end(),
                           [&](const Requirement& r) { return r.id == id; });
    return it == requirements.end() ? nullptr : &*it;
}

std::map<std::string, Requirement> requirements_named(const std::vector<CaseResult>& results,
                                                      const Catalogue& catalogue) {
    std::map<std::string, Requirement> named;
    auto add = [&](const std::string& id) {
        if (const Requirement* r = catalogue.requirement(id)) named.emplace(id, *r);
    };
    for (const auto& c : results) {
        add(c.requirement);
        for (const auto& f : c.findings)
            add(f.requirement);
    }
    return named;
}

std::vector<Requirement> load_requirements_file(const std::string& text, const std::string& file,
                                                const fs::path& schema_path) {
    const std::set<std::string> trusted_none;
    std::vector<std::string> validated;
    SchemaValidator validator(schema_path, trusted_none, validated);
    return read_requirements(text, file, validator);
}

std::vector<Case> load_case_file(const std::string& text, const std::string& file,
                                 const fs::path& schema_path) {
    const std::set<std::string> trusted_none;
    std::vector<std::string> validated;
    SchemaValidator validator(schema_path, trusted_none, validated);
    return read_cases(text, file, validator);
}

Catalogue load_catalogue(const CatalogueSources& sources) {
    Catalogue catalogue;
    const fs::path templates = sources.builtin_dir / "templates.json";
    const std::string templates_text = read_text(templates);
    catalogue.templates = load_templates(templates_text, templates);
    // File names without their folder: shards on other machines load the same catalogue.
    Fingerprint fingerprint;
    fingerprint.add("templates.json", templates_text);
    load_requirements(sources, catalogue, fingerprint);
    SchemaValidator validator(sources.builtin_dir / "schema" / "case.schema.json",
                              sources.trusted_keys, catalogue.validated_keys);
    std::vector<fs::path> dirs = sources.extra_dirs;
    if (sources.include_builtin_cases) dirs.insert(dirs.begin(), sources.builtin_dir);
    for (const auto& dir : dirs) {
        for (const auto& file : case_files(dir)) {
            const std::string text = read_text(file);
            fingerprint.add(file.filename().string(), text);
            auto cases = read_cases(text, file.string(), validator);
            std::move(cases.begin(), cases.end(), std::back_inserter(catalogue.cases));
        }
    }
    check_references(catalogue);
    catalogue.fingerprint = fingerprint.hex();
    return catalogue;
}

} // namespace upgradespec
