#include "checks/extensions.hpp"
#include "ws/message.hpp"

#include "wire/fields.hpp"

#include <algorithm>
#include <array>
#include <set>

namespace upgradespec {

namespace {

constexpr std::string_view deflate = "permessage-deflate";
constexpr std::string_view extensions_field = "Sec-WebSocket-Extensions";

// RFC 9110 §5.6.2 tchar.
bool is_tchar(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), is_tchar);
}

std::string lowered(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](char c) {
        return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    });
    return s;
}

// A left-to-right reader of one field value.
struct Reader {
    std::string_view text;
    std::size_t at = 0;

    bool end() const { return at >= text.size(); }
    bool sees(char c) const { return !end() && text[at] == c; }
    void skip_ows() {
        while (sees(' ') || sees('\t'))
            ++at;
    }
    std::string token() {
        std::size_t from = at;
        while (!end() && is_tchar(text[at]))
            ++at;
        return std::string(text.substr(from, at - from));
    }
    // After the opening quote: the unescaped content, nullopt when the quote never closes.
    std::optional<std::string> rest_of_quoted() {
        std::string out;
        while (!end()) {
            char c = text[at++];
            if (c == '"') return out;
            if (c == '\\' && !end()) c = text[at++];
            out.push_back(c);
        }
        return std::nullopt;
    }
};

std::optional<ExtensionParam> read_param(Reader& in) {
    in.skip_ows();
    ExtensionParam param{in.token(), std::nullopt};
    if (param.name.empty()) return std::nullopt;
    in.skip_ows();
    if (!in.sees('=')) return param;
    ++in.at;
    in.skip_ows();
    if (in.sees('"')) {
        ++in.at;
        param.value = in.rest_of_quoted();
        if (!param.value || !is_token(*param.value)) return std::nullopt; // RFC 6455 §9.1
        return param;
    }
    param.value = in.token();
    if (param.value->empty()) return std::nullopt;
    return param;
}

std::optional<ExtensionElement> read_element(Reader& in) {
    ExtensionElement element{in.token(), {}};
    if (element.name.empty()) return std::nullopt;
    for (in.skip_ows(); in.sees(';'); in.skip_ows()) {
        ++in.at;
        auto param = read_param(in);
        if (!param) return std::nullopt;
        element.params.push_back(std::move(*param));
    }
    return element;
}

bool is_deflate(const ExtensionElement& e) {
    return iequals(e.name, deflate);
}

std::vector<const ExtensionElement*> deflates(const std::vector<ExtensionElement>& elements) {
    std::vector<const ExtensionElement*> out;
    for (const auto& e : elements)
        if (is_deflate(e)) out.push_back(&e);
    return out;
}

const ExtensionParam* param_of(const ExtensionElement& e, std::string_view name) {
    for (const auto& p : e.params)
        if (iequals(p.name, name)) return &p;
    return nullptr;
}

// RFC 7692 §7.1.2.1-2: 1*DIGIT, 8 to 15, no leading zero.
std::optional<int> window_bits(const std::optional<std::string>& value) {
    if (!value || value->empty() || value->size() > 2 || (*value)[0] == '0') return std::nullopt;
    if (!std::all_of(value->begin(), value->end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    int bits = std::stoi(*value);
    if (bits < 8 || bits > 15) return std::nullopt;
    return bits;
}

bool is_flag(std::string_view name) {
    return iequals(name, "server_no_context_takeover") ||
           iequals(name, "client_no_context_takeover");
}

bool is_window(std::string_view name) {
    return iequals(name, "server_max_window_bits") || iequals(name, "client_max_window_bits");
}

// Why one response parameter is wrong, or "" (RFC 7692 §7.1: every value is required in a
// response, the flags take none).
std::string response_param_problem(const ExtensionParam& p) {
    if (!is_flag(p.name) && !is_window(p.name))
        return "parameter \"" + p.name + "\" is not defined for a permessage-deflate response";
    if (is_flag(p.name) && p.value) return p.name + " takes no value, yet has \"" + *p.value + "\"";
    if (is_window(p.name) && !p.value) return p.name + " needs a value of 8 to 15 in a response";
    if (is_window(p.name) && !window_bits(p.value))
        return p.name + "=" + *p.value + " is not a window size of 8 to 15 (no leading zero)";
    return "";
}

std::vector<const ExtensionElement*>
valid_deflate_offers(const std::vector<ExtensionElement>& offers) {
    std::vector<const ExtensionElement*> out;
    for (const auto* e : deflates(offers))
        if (valid_deflate_offer(*e)) out.push_back(e);
    return out;
}

// Every valid permessage-deflate offer has `param`: an accepting answer must honour it.
bool every_valid_offer_has(const std::vector<ExtensionElement>& offers, std::string_view param) {
    auto valid = valid_deflate_offers(offers);
    return !valid.empty() && std::all_of(valid.begin(), valid.end(), [&](const auto* e) {
        return param_of(*e, param) != nullptr;
    });
}

// Extensions that, like every PMCE, put a meaning on RSV1 (RFC 7692 §6; the deflate-frame drafts).
bool uses_rsv1(const ExtensionElement& e) {
    static constexpr std::array<std::string_view, 3> per_frame{
        "deflate-frame", "x-webkit-deflate-frame", "perframe-deflate"};
    bool pmce = e.name.size() > 11 && iequals(e.name.substr(0, 11), "permessage-");
    return pmce || std::any_of(per_frame.begin(), per_frame.end(),
                               [&](std::string_view name) { return iequals(e.name, name); });
}

std::vector<std::string> field_lines(const Fields& fields, std::string_view name) {
    std::vector<std::string> lines;
    for (const auto& [field, value] : fields)
        if (iequals(field, name)) lines.push_back(value);
    return lines;
}

// The offers and answers of a 101, both parsed; what stops a rule from judging otherwise.
struct Exchange {
    enum class State { judged, not_101, bad_offer, bad_answer } state = State::not_101;
    std::vector<ExtensionElement> offers, answers;
};

Exchange exchange_of(const Observation& seen) {
    Exchange ex;
    if (!seen.head || seen.head->status != 101) return ex;
    auto offers = parse_extension_list(field_lines(seen.request.fields, extensions_field));
    auto answers = parse_extension_list(seen.head->values(extensions_field));
    if (!offers) {
        ex.state = Exchange::State::bad_offer;
    } else if (!answers) {
        ex.state = Exchange::State::bad_answer;
    } else {
        ex.state = Exchange::State::judged;
        ex.offers = std::move(*offers);
        ex.answers = std::move(*answers);
    }
    return ex;
}

RuleOutcome failing(const std::string& problem) {
    if (problem.empty()) return std::nullopt;
    return std::pair{Verdict::fail, problem};
}

template <typename Check> RuleOutcome judge_exchange(const Observation& seen, Check check) {
    Exchange ex = exchange_of(seen);
    if (ex.state != Exchange::State::judged) return std::nullopt;
    return failing(check(ex));
}

} // namespace

std::optional<std::vector<ExtensionElement>>
parse_extension_list(const std::vector<std::string>& lines) {
    std::string combined;
    for (const auto& line : lines)
        combined += (combined.empty() ? "" : ", ") + line;
    std::vector<ExtensionElement> out;
    Reader in{combined};
    // Each pass consumes a comma or an element, or returns.
    while (true) {
        in.skip_ows();
        if (in.end()) return out;
        if (in.sees(',')) {
            ++in.at;
            continue;
        }
        auto element = read_element(in);
        if (!element) return std::nullopt;
        out.push_back(std::move(*element));
        in.skip_ows();
        if (!in.end() && !in.sees(',')) return std::nullopt;
    }
}

bool valid_deflate_offer(const ExtensionElement& offer) {
    std::set<std::string> seen;
    for (const auto& p : offer.params) {
        std::string name = lowered(p.name);
        if (!seen.insert(name).second) return false;
        if (is_flag(name) && p.value) return false;
        if (name == "server_max_window_bits" && !window_bits(p.value)) return false;
        if (name == "client_max_window_bits" && p.value && !window_bits(p.value)) return false;
        if (!is_flag(name) && !is_window(name)) return false;
    }
    return true;
}

std::string unoffered_problem(const std::vector<ExtensionElement>& offers,
                              const std::vector<ExtensionElement>& answers) {
    for (const auto& answer : answers) {
        bool offered = std::any_of(offers.begin(), offers.end(), [&](const ExtensionElement& o) {
            return iequals(o.name, answer.name);
        });
        if (offered) continue;
        return "the 101 accepts the extension \"" + answer.name + "\", which " +
               (offers.empty() ? "the request did not offer (it offered none)"
                               : "is not among the request's offers");
    }
    return "";
}

std::string deflate_response_problem(const std::vector<ExtensionElement>& answers) {
    auto accepted = deflates(answers);
    if (accepted.size() > 1)
        return "the 101 accepts permessage-deflate " + std::to_string(accepted.size()) +
               " times; one element at most, since each would claim RSV1";
    for (const auto* e : accepted) {
        std::set<std::string> seen;
        for (const auto& p : e->params) {
            if (auto problem = response_param_problem(p); !problem.empty())
                return "the 101's permessage-deflate: " + problem;
            if (!seen.insert(lowered(p.name)).second)
                return "the 101's permessage-deflate repeats the parameter " + p.name;
        }
    }
    return "";
}

std::string client_window_problem(const std::vector<ExtensionElement>& offers,
                                  const std::vector<ExtensionElement>& answers) {
    auto offered = deflates(offers);
    bool asked = std::any_of(offered.begin(), offered.end(), [](const auto* e) {
        return param_of(*e, "client_max_window_bits") != nullptr;
    });
    if (asked) return "";
    for (const auto* e : deflates(answers))
        if (param_of(*e, "client_max_window_bits"))
            return "the 101's permessage-deflate names client_max_window_bits, which no "
                   "permessage-deflate offer included";
    return "";
}

std::string server_window_problem(const std::vector<ExtensionElement>& offers,
                                  const std::vector<ExtensionElement>& answers) {
    auto accepted = deflates(answers);
    if (accepted.empty() || !every_valid_offer_has(offers, "server_max_window_bits")) return "";
    int limit = 0;
    for (const auto* e : valid_deflate_offers(offers))
        limit = std::max(limit, *window_bits(param_of(*e, "server_max_window_bits")->value));
    const ExtensionParam* answer = param_of(*accepted.front(), "server_max_window_bits");
    std::string offered = "server_max_window_bits=" + std::to_string(limit);
    if (!answer)
        return "the 101 accepts permessage-deflate without " + offered + " that it was offered";
    auto bits = window_bits(answer->value);
    if (bits && *bits > limit)
        return "the 101 answers server_max_window_bits=" + std::to_string(*bits) +
               ", more than the " + offered + " offered";
    return ""; // an invalid value is deflate_response_problem's to report
}

std::string server_no_context_problem(const std::vector<ExtensionElement>& offers,
                                      const std::vector<ExtensionElement>& answers) {
    auto accepted = deflates(answers);
    if (accepted.empty() || !every_valid_offer_has(offers, "server_no_context_takeover")) return "";
    if (param_of(*accepted.front(), "server_no_context_takeover")) return "";
    return "the 101 accepts permessage-deflate without the server_no_context_takeover that "
           "every offer asked for";
}

std::string rsv1_conflict_problem(const std::vector<ExtensionElement>& answers) {
    if (deflates(answers).empty()) return "";
    for (const auto& e : answers)
        if (!is_deflate(e) && uses_rsv1(e))
            return "the 101 accepts permessage-deflate together with " + e.name +
                   ", which also uses RSV1";
    return "";
}

RuleOutcome extensions_offered_rule(const Observation& seen) {
    Exchange ex = exchange_of(seen);
    if (ex.state == Exchange::State::bad_answer)
        return std::pair{Verdict::fail, std::string("the 101's Sec-WebSocket-Extensions does not "
                                                    "parse as a list of extensions (RFC 6455 "
                                                    "9.1), so it names none that was offered")};
    if (ex.state != Exchange::State::judged) return std::nullopt;
    return failing(unoffered_problem(ex.offers, ex.answers));
}

RuleOutcome deflate_response_rule(const Observation& seen) {
    return judge_exchange(seen,
                          [](const Exchange& ex) { return deflate_response_problem(ex.answers); });
}

RuleOutcome client_window_rule(const Observation& seen) {
    return judge_exchange(
        seen, [](const Exchange& ex) { return client_window_problem(ex.offers, ex.answers); });
}

RuleOutcome server_window_rule(const Observation& seen) {
    return judge_exchange(
        seen, [](const Exchange& ex) { return server_window_problem(ex.offers, ex.answers); });
}

RuleOutcome server_no_context_rule(const Observation& seen) {
    return judge_exchange(
        seen, [](const Exchange& ex) { return server_no_context_problem(ex.offers, ex.answers); });
}

std::optional<ws::ServerDeflate> agreed_server_deflate(const Observation& seen) {
    Exchange ex = exchange_of(seen);
    if (ex.state != Exchange::State::judged) return std::nullopt;
    auto accepted = deflates(ex.answers);
    if (accepted.empty()) return std::nullopt;
    ws::ServerDeflate agreed;
    if (const ExtensionParam* window = param_of(*accepted.front(), "server_max_window_bits"))
        agreed.window_bits = window_bits(window->value).value_or(agreed.window_bits);
    agreed.no_context = param_of(*accepted.front(), "server_no_context_takeover") != nullptr;
    return agreed;
}

RuleOutcome server_messages_rule(const Observation& seen) {
    auto agreed = agreed_server_deflate(seen);
    if (!agreed || seen.frames.empty()) return std::nullopt;
    ws::Inflater inflater(*agreed);
    int number = 0;
    for (const auto& message : ws::whole_messages(seen.frames)) {
        ++number;
        std::string error;
        if (!message.compressed || inflater.inflate(message.payload, error)) continue;
        if (inflater.hit_limit()) return std::nullopt; // too big to check, not broken
        return std::pair{
            Verdict::fail,
            "the server's message " + std::to_string(number) +
                " (compressed) does not inflate with a window of " +
                std::to_string(agreed->window_bits) + " bits" +
                (agreed->no_context ? ", on its own (server_no_context_takeover)" : "") + ": " +
                error};
    }
    return std::nullopt;
}

RuleOutcome rsv1_conflict_rule(const Observation& seen) {
    return judge_exchange(seen,
                          [](const Exchange& ex) { return rsv1_conflict_problem(ex.answers); });
}

} // namespace upgradespec
