#pragma once
// One target as the command line, an entry of a targets file (--targets) or a profile (--profile)
// describes it: one struct, one table of the options' names and meanings, and one place that
// applies a description to a Target and its TLS settings. A new target option is a member, a
// row of the table and a line of apply_description() (and its Target field and schema members).
#include "model/target.hpp"
#include "tls/client.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace upgradespec {

struct TargetDescription {
    std::string url;
    std::string profile;    // a profile file
    std::string plain_path; // an ordinary HTTP resource (a profile's)
    std::string ws_path;    // the WebSocket endpoint (a profile's websocket.path)
    bool echo = false;
    std::vector<std::string> subprotocols, allowed_origins, claims, headers;
    std::string spec, origin, host_header, resolve, backend;
    std::string tls_required_path, http11_required_path;
    int tls_port = 0;
    std::string sni, cacert;
    bool insecure = false;

    // `more` said after this one: flags and lists add up, a value given replaces this one's.
    void add(const TargetDescription& more);
};

// What the command line checks of a value; the schemas of the files say the same.
enum class OptionCheck { none, path, port, claim, spec };

// One option of the table, by its names in each place that has it ("" where a place has none).
struct TargetOption {
    using Member = std::variant<bool TargetDescription::*, int TargetDescription::*,
                                std::string TargetDescription::*,
                                std::vector<std::string> TargetDescription::*>;
    std::string_view flag;         // the command line's: "--echo", "-H,--header", "url"
    std::string_view entry_member; // in a targets file's entry: "echo"
    std::string_view profile_path; // in a profile: "websocket.echo"
    std::string_view value_name;   // the command line's name of the value: "PATH"
    std::string_view meaning;      // the command line's help
    Member member;
    OptionCheck check = OptionCheck::none;
    bool relative_to_file = false; // a path in a file is relative to the file's folder
};

// Every target option, in the order --help lists them.
std::span<const TargetOption> target_options();

// Which file a description is read from: its members are named differently.
enum class DescriptionSource { targets_entry, profile };

// The description a targets file's entry or a profile holds (already checked against its
// schema); paths in it are made relative to `file`'s folder.
TargetDescription description_from_json(const nlohmann::json& j, DescriptionSource source,
                                        const std::filesystem::path& file);

// Applies `d`'s target options to `target` (the URL's facts, a profile's) and `tls`. Throws
// UsageError naming the option (-H, --resolve) when a value cannot be used.
void apply_description(const TargetDescription& d, Target& target, tls::Config& tls);

// The target: its URL, then the profile (read against `profile_schema`; its URL when `d` has
// none), then `d`'s other options. Throws UsageError naming the option or the profile's field.
Target build_target(const TargetDescription& d, const std::filesystem::path& profile_schema,
                    tls::Config& tls);

} // namespace upgradespec
