#include "checks/tls_rules.hpp"

#include "wire/fields.hpp"

#include <algorithm>

namespace upgradespec {

namespace {

// "TLS/1.0" and the other versions of the TLS upgrade token (RFC 2817 3.1, 7.2).
bool is_tls_token(const std::string& token) {
    return iequals(token, "TLS") || (token.size() > 4 && iequals(token.substr(0, 4), "TLS/"));
}

std::vector<std::string> upgrade_tokens(const ResponseHead& head) {
    std::vector<std::string> tokens;
    for (const auto& line : head.values("Upgrade"))
        for (auto& token : split_list(line))
            tokens.push_back(std::move(token));
    return tokens;
}

std::optional<std::string> tls_token(const ResponseHead& head) {
    auto tokens = upgrade_tokens(head);
    auto tls = std::find_if(tokens.begin(), tokens.end(), is_tls_token);
    if (tls == tokens.end()) return std::nullopt;
    return *tls;
}

} // namespace

TlsRuleVerdict layer_order_rule(const Observation& seen) {
    if (!seen.head || seen.head->status != 101) return std::nullopt;
    auto tokens = upgrade_tokens(*seen.head);
    auto tls = std::find_if(tokens.begin(), tokens.end(), is_tls_token);
    if (tokens.size() < 2 || tls == tokens.end() || tls == tokens.begin()) return std::nullopt;
    return std::pair{Verdict::fail, "the 101 lists " + *tls + " after " + tokens.front() +
                                        ": layers are listed bottom-up, TLS first "
                                        "(\"TLS/1.0, HTTP/1.1\")"};
}

TlsRuleVerdict no_tls_after_426_rule(const Observation& seen) {
    if (!seen.head || seen.head->status != 426 || !tls_token(*seen.head)) return std::nullopt;
    for (const auto& later : seen.later)
        if (!later.malformed.empty())
            return std::pair{Verdict::fail,
                             "after the 426 naming TLS, the next request got no HTTP answer but "
                             "other bytes (" +
                                 later.malformed +
                                 "): a 426 starts no TLS; the client asks again with Upgrade"};
    return std::nullopt;
}

TlsRuleVerdict tls_upgrade_offered_rule(const Observation& seen) {
    std::vector<const ResponseHead*> heads;
    for (const auto& interim : seen.interim)
        heads.push_back(&interim);
    if (seen.head) heads.push_back(&*seen.head);
    for (const ResponseHead* head : heads)
        if (auto token = tls_token(*head))
            return std::pair{Verdict::info,
                             "the server offers the RFC 2817 TLS upgrade (" + *token + " in a " +
                                 std::to_string(head->status) +
                                 "): TLS begun inside a cleartext connection lets an attacker on "
                                 "the path desynchronise requests and responses (the \"Opossum\" "
                                 "attack); TLS from the first byte (https) avoids it"};
    return std::nullopt;
}

} // namespace upgradespec
