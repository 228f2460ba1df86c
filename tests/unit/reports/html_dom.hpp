#pragma once
// The HTML writers' pages parsed with libxml2's HTML parser, for tests that look at the DOM a
// browser would build rather than at strings.
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace upgradespec::test {

using HtmlDocument = std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)>;

inline HtmlDocument parse_html(const std::string& text) {
    return HtmlDocument(
        htmlReadMemory(text.data(), static_cast<int>(text.size()), "page.html", "UTF-8",
                       HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING),
        &xmlFreeDoc);
}

inline std::string node_name(xmlNode* node) {
    return reinterpret_cast<const char*>(node->name);
}

inline std::string attribute(xmlNode* node, const char* name) {
    xmlChar* value = xmlGetProp(node, reinterpret_cast<const xmlChar*>(name));
    if (!value) return "";
    std::string text(reinterpret_cast<const char*>(value));
    xmlFree(value);
    return text;
}

inline bool has_attribute(xmlNode* node, const char* name) {
    return xmlHasProp(node, reinterpret_cast<const xmlChar*>(name)) != nullptr;
}

inline std::string text_of(xmlNode* node) {
    xmlChar* value = xmlNodeGetContent(node);
    std::string text(value ? reinterpret_cast<const char*>(value) : "");
    xmlFree(value);
    return text;
}

// Every element under `node`, depth first.
inline void each_element(xmlNode* node, const std::function<void(xmlNode*)>& visit) {
    for (xmlNode* n = node; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) continue;
        visit(n);
        each_element(n->children, visit);
    }
}

inline std::vector<xmlNode*> elements(const HtmlDocument& doc,
                                      const std::function<bool(xmlNode*)>& wanted) {
    std::vector<xmlNode*> found;
    each_element(xmlDocGetRootElement(doc.get()), [&](xmlNode* n) {
        if (wanted(n)) found.push_back(n);
    });
    return found;
}

inline xmlNode* by_id(const HtmlDocument& doc, std::string_view id) {
    auto found = elements(doc, [&](xmlNode* n) { return attribute(n, "id") == id; });
    return found.size() == 1 ? found.front() : nullptr;
}

inline std::vector<xmlNode*> named(const HtmlDocument& doc, std::string_view name) {
    return elements(doc, [&](xmlNode* n) { return node_name(n) == name; });
}

} // namespace upgradespec::test
