#include "h2/hpack.hpp"

#include <nghttp2/nghttp2.h>

#include <stdexcept>
#include <vector>

namespace upgradespec::h2 {

void HpackDecoder::Free::operator()(nghttp2_hd_inflater* inflater) const {
    nghttp2_hd_inflate_del(inflater);
}

HpackDecoder::HpackDecoder() {
    nghttp2_hd_inflater* raw = nullptr;
    if (nghttp2_hd_inflate_new(&raw) != 0)
        throw std::runtime_error("cannot create an HPACK decoder");
    inflater_.reset(raw);
}

std::optional<Fields> HpackDecoder::decode(std::string_view block, std::string& error) {
    Fields fields;
    std::size_t decoded = 0; // name and value bytes: one-byte indices can each emit 4 KiB
    auto in = reinterpret_cast<const std::uint8_t*>(block.data());
    std::size_t left = block.size();
    // Each call emits one field or consumes input, so the fields bound the loop.
    while (fields.size() <= max_decoded_fields) {
        nghttp2_nv nv;
        int flags = 0;
        auto used = nghttp2_hd_inflate_hd2(inflater_.get(), &nv, &flags, in, left, 1);
        if (used < 0) {
            error = std::string("not valid HPACK: ") + nghttp2_strerror(static_cast<int>(used));
            return std::nullopt;
        }
        in += used;
        left -= static_cast<std::size_t>(used);
        if (flags & NGHTTP2_HD_INFLATE_EMIT) {
            decoded += nv.namelen + nv.valuelen;
            if (decoded > max_decoded_block_bytes) {
                over_limit_ = true;
                error = "the decoded header list is over " +
                        std::to_string(max_decoded_block_bytes / 1024) + " KiB";
                return std::nullopt;
            }
            fields.emplace_back(std::string(reinterpret_cast<const char*>(nv.name), nv.namelen),
                                std::string(reinterpret_cast<const char*>(nv.value), nv.valuelen));
        }
        if (flags & NGHTTP2_HD_INFLATE_FINAL) {
            nghttp2_hd_inflate_end_headers(inflater_.get());
            return fields;
        }
        if (!(flags & NGHTTP2_HD_INFLATE_EMIT) && left == 0) break;
    }
    error = fields.size() > max_decoded_fields
                ? "more than " + std::to_string(max_decoded_fields) + " fields in one block"
                : "the header block ended in the middle of a field";
    return std::nullopt;
}

void HpackEncoder::Free::operator()(nghttp2_hd_deflater* deflater) const {
    nghttp2_hd_deflate_del(deflater);
}

HpackEncoder::HpackEncoder() {
    nghttp2_hd_deflater* raw = nullptr;
    // 4096: SETTINGS_HEADER_TABLE_SIZE's initial value, which every peer accepts.
    if (nghttp2_hd_deflate_new(&raw, 4096) != 0)
        throw std::runtime_error("cannot create an HPACK encoder");
    deflater_.reset(raw);
}

std::string HpackEncoder::encode(const Fields& fields) {
    std::vector<nghttp2_nv> list;
    list.reserve(fields.size());
    for (const auto& [name, value] : fields) {
        // nghttp2 only reads through these pointers; its API is not const-correct.
        auto* n = reinterpret_cast<std::uint8_t*>(const_cast<char*>(name.data()));
        auto* v = reinterpret_cast<std::uint8_t*>(const_cast<char*>(value.data()));
        list.push_back({n, v, name.size(), value.size(), NGHTTP2_NV_FLAG_NONE});
    }
    std::string block(nghttp2_hd_deflate_bound(deflater_.get(), list.data(), list.size()), '\0');
    auto written =
        nghttp2_hd_deflate_hd(deflater_.get(), reinterpret_cast<std::uint8_t*>(block.data()),
                              block.size(), list.data(), list.size());
    if (written < 0)
        throw std::runtime_error(std::string("HPACK encoding failed: ") +
                                 nghttp2_strerror(static_cast<int>(written)));
    block.resize(static_cast<std::size_t>(written));
    return block;
}

std::optional<H2HeaderBlock> HeaderBlockReader::on_frame(const H2Frame& f) {
    bool starts_block = f.type == type::headers || f.type == type::push_promise;
    if (open_ && f.type != type::continuation)
        return broken(open_->stream, open_->frame_type,
                      "a " + type_name(f.type) + " frame arrived where a CONTINUATION was due");
    if (!starts_block && f.type != type::continuation) return std::nullopt;
    if (f.type == type::continuation && (!open_ || open_->stream != f.stream))
        return broken(f.stream, f.type, "a CONTINUATION frame that continues no header block");
    auto fragment = header_fragment(f);
    if (!fragment) return broken(f.stream, f.type, "the padding is longer than the frame");
    if (starts_block) {
        open_ = H2HeaderBlock{f.stream, f.type, {}, ""};
        fragments_.clear();
    }
    if (fragments_.size() + fragment->size() > max_header_block) {
        flooded_ = "a header block over " + std::to_string(max_header_block / 1024) +
                   " KiB (CONTINUATION frames without an end)";
        return broken(f.stream, open_->frame_type, flooded_);
    }
    fragments_.append(*fragment);
    if (!(f.flags & flag::end_headers)) return std::nullopt;
    return finish();
}

std::optional<H2HeaderBlock> HeaderBlockReader::finish() {
    H2HeaderBlock block = std::move(*open_);
    open_.reset();
    if (context_lost_) {
        block.error = "not decoded: an earlier header block broke the HPACK context";
        return block;
    }
    auto fields = hpack_.decode(fragments_, block.error);
    fragments_.clear();
    if (!fields) {
        context_lost_ = true;
        if (hpack_.over_limit()) flooded_ = block.error;
        return block;
    }
    for (const auto& [name, value] : *fields)
        decoded_total_ += name.size() + value.size();
    if (decoded_total_ > max_decoded_connection_bytes) {
        context_lost_ = true;
        flooded_ = "the decoded header lists of the connection are over " +
                   std::to_string(max_decoded_connection_bytes / 1024) + " KiB";
        block.error = flooded_;
        return block;
    }
    block.fields = std::move(*fields);
    return block;
}

std::optional<H2HeaderBlock> HeaderBlockReader::broken(std::uint32_t stream, int frame_type,
                                                       std::string why) {
    open_.reset();
    fragments_.clear();
    context_lost_ = true; // a half-read block leaves the HPACK context unknown
    return H2HeaderBlock{stream, frame_type, {}, std::move(why)};
}

} // namespace upgradespec::h2
