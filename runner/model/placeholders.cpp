#include "model/placeholders.hpp"

namespace upgradespec {

std::string expand(std::string_view text, const Placeholders& vars) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        if (text[i] == '{') {
            auto close = text.find('}', i);
            if (close != std::string_view::npos) {
                auto found = vars.find(std::string(text.substr(i + 1, close - i - 1)));
                if (found != vars.end()) {
                    out += found->second;
                    i = close + 1;
                    continue;
                }
            }
        }
        out += text[i++];
    }
    return out;
}

} // namespace upgradespec
