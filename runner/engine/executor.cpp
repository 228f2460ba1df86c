// The one translation unit with Asio: connections, deadlines, scheduling.
#include <utility> // before Asio: GCC 12 + Boost 1.74 coroutine support

#include "engine/executor.hpp"

#include "checks/judge.hpp"
#include "engine/request.hpp"
#include "wire/fields.hpp"
#include "wire/request_head.hpp"
#include "wire/response_parser.hpp"
#include "ws/frame.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <array>
#include <map>

namespace upgradespec {

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::awaitable;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

enum class ReadEnd { data, eof, timeout };

// One case's connection: every operation under a deadline, every byte in the transcript.
class Session {
  public:
    Session(asio::io_context& io, const RunOptions& options, CaseResult& result, Observation& seen)
        : stream_(io), options_(options), result_(result), seen_(seen), started_(Clock::now()),
          case_deadline_(started_ + options.timeout * 5) {}

    awaitable<bool> connect(const tcp::resolver::results_type& endpoints) {
        beast::error_code ec;
        arm_deadline();
        co_await stream_.async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
        if (!ec) {
            // Each scripted write goes out at once: Nagle would hold small frames back.
            stream_.socket().set_option(tcp::no_delay(true), ec);
            co_return true;
        }
        if (ec == beast::error::timeout) ++result_.deadline_waits;
        seen_.connect_error =
            "could not connect to " + endpoint_text(endpoints) + ": " +
            (ec == beast::error::timeout ? "no answer within the deadline" : ec.message());
        note(seen_.connect_error);
        co_return false;
    }

    awaitable<bool> send(const std::string& bytes) {
        record(Direction::sent, bytes);
        beast::error_code ec;
        arm_deadline();
        co_await asio::async_write(stream_, asio::buffer(bytes),
                                   asio::redirect_error(asio::use_awaitable, ec));
        if (!ec) co_return true;
        closed_by(ec);
        co_return false;
    }

    // Reads until one response is complete: 1xx heads in a loop, then a final head or a 101.
    awaitable<void> read_response() {
        bool head_request = seen_.request.method == "HEAD";
        for (int rounds = 0; rounds < 100000; ++rounds) {
            ResponseParse parsed = parse_response(pending_, eof_, head_request);
            if (parsed.kind == ResponseParse::Kind::malformed) {
                seen_.malformed = parsed.error;
                co_return;
            }
            if (parsed.kind == ResponseParse::Kind::need_more) {
                if (eof_ || co_await read_more() == ReadEnd::timeout) co_return;
                continue; // data or a fresh EOF: parse again
            }
            pending_.erase(0, parsed.consumed);
            if (parsed.head.status / 100 != 1 || parsed.head.status == 101) {
                seen_.head = std::move(parsed.head);
                seen_.body = std::move(parsed.body);
                seen_.body_complete = parsed.body_complete;
                co_return;
            }
            seen_.interim.push_back(std::move(parsed.head));
            if (seen_.interim.size() > 32) {
                seen_.malformed = "more than 32 interim (1xx) responses";
                co_return;
            }
        }
    }

    awaitable<void> run_steps(const std::vector<Step>& steps) {
        seen_.steps_ran = true;
        for (const auto& step : steps) {
            std::string failure = co_await run_step(step);
            if (failure.empty()) continue;
            seen_.step_failure = step.why.empty() ? failure : step.why + " (" + failure + ")";
            co_return;
        }
    }

    void finish() {
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
        stream_.socket().close(ignored);
        result_.duration = elapsed();
    }

  private:
    std::chrono::microseconds elapsed() const {
        return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started_);
    }

    // Received bytes beyond the cap are not kept: a flooding target must not balloon the reports.
    void record(Direction d, std::string bytes) {
        if (d == Direction::received) {
            if (kept_ >= transcript_cap) {
                if (!cap_noted_)
                    note("later bytes not kept: the transcript keeps " +
                         std::to_string(transcript_cap) + " received bytes");
                cap_noted_ = true;
                return;
            }
            bytes.resize(std::min(bytes.size(), transcript_cap - kept_));
            kept_ += bytes.size();
        }
        result_.transcript.push_back({d, elapsed(), std::move(bytes)});
    }
    void note(const std::string& text) { record(Direction::note, text); }

    // Each operation gets the per-operation deadline, cut short by the whole case's deadline.
    void arm_deadline() {
        stream_.expires_at(std::min(Clock::now() + options_.timeout, case_deadline_));
    }

    static std::string endpoint_text(const tcp::resolver::results_type& endpoints) {
        if (endpoints.empty()) return "(no address)";
        auto e = endpoints.begin()->endpoint();
        return e.address().to_string() + ":" + std::to_string(e.port());
    }

    // The connection ended (or its deadline passed): no more reading either way.
    void closed_by(const beast::error_code& ec) {
        eof_ = true;
        if (ec == beast::error::timeout) {
            seen_.timed_out = true;
            ++result_.deadline_waits;
            note("no data within the deadline");
            return;
        }
        seen_.closed = true;
        if (ec == asio::error::eof)
            record(Direction::eof, "");
        else if (ec == asio::error::connection_reset || ec == asio::error::broken_pipe)
            record(Direction::reset, ec.message());
        else
            note("connection ended: " + ec.message());
    }

    awaitable<ReadEnd> read_more() {
        if (eof_) co_return ReadEnd::eof;
        if (pending_.size() >= options_.max_response_bytes) {
            note("stopped reading: more than " + std::to_string(options_.max_response_bytes) +
                 " bytes");
            eof_ = true;
            co_return ReadEnd::eof;
        }
        std::array<char, 16384> chunk;
        beast::error_code ec;
        arm_deadline();
        std::size_t n = co_await stream_.async_read_some(
            asio::buffer(chunk), asio::redirect_error(asio::use_awaitable, ec));
        if (n > 0) {
            pending_.append(chunk.data(), n);
            record(Direction::received, std::string(chunk.data(), n));
        }
        if (!ec) co_return ReadEnd::data;
        closed_by(ec);
        co_return ec == beast::error::timeout ? ReadEnd::timeout : ReadEnd::eof;
    }

    // The next whole frame from the server, or an empty optional with `why` set.
    awaitable<std::optional<ReceivedFrame>> next_frame(std::string& why) {
        for (;;) {
            ws::FrameDecode decoded = ws::decode_frame(pending_);
            if (decoded.kind == ws::FrameDecode::Kind::frame) {
                pending_.erase(0, decoded.consumed);
                seen_.frames.push_back(decoded.frame);
                co_return decoded.frame;
            }
            if (decoded.kind == ws::FrameDecode::Kind::error) {
                why = "the server sent an unreadable frame: " + decoded.error;
                co_return std::nullopt;
            }
            ReadEnd end = co_await read_more();
            if (end == ReadEnd::timeout) {
                why = "nothing more from the server within " +
                      std::to_string(options_.timeout.count()) + " ms";
                co_return std::nullopt;
            }
            if (end == ReadEnd::eof) {
                why = "the server closed the connection";
                co_return std::nullopt;
            }
        }
    }

    awaitable<std::string> run_step(const Step& step) {
        switch (step.kind) {
        case Step::Kind::send_frame:
            co_return co_await send(ws::encode_frame(step.frame)) ? ""
                                                                  : "the frame could not be sent";
        case Step::Kind::expect_frame:
            co_return co_await expect_frame(step);
        case Step::Kind::expect_close:
            co_return co_await expect_close(step.close_frame_required);
        case Step::Kind::expect_open:
            co_return co_await expect_open(step.quiet_ms);
        }
        co_return "unknown step";
    }

    awaitable<std::string> expect_frame(const Step& step) {
        std::string wanted = "a frame with opcode " + std::to_string(step.opcode) +
                             (step.payload ? " carrying \"" + *step.payload + "\"" : "");
        for (int frames = 0; frames < 1000; ++frames) {
            std::string why;
            auto frame = co_await next_frame(why);
            if (!frame) co_return "expected " + wanted + ", but " + why;
            if (frame->opcode == step.opcode && (!step.payload || frame->payload == *step.payload))
                co_return "";
            if (frame->opcode == 8)
                co_return "expected " + wanted + ", but the server sent " + ws::describe(*frame);
        }
        co_return "expected " + wanted + ", but the server sent 1000 other frames";
    }

    // The server must close TCP; a Close frame it sends first is answered, as a client does.
    awaitable<std::string> expect_close(bool close_frame_required) {
        bool close_frame_seen = false;
        for (int frames = 0; frames < 1000; ++frames) {
            std::string why;
            auto frame = co_await next_frame(why);
            if (!frame) {
                if (!eof_ || seen_.timed_out) co_return "the connection was still open: " + why;
                if (close_frame_required && !close_frame_seen)
                    co_return "the server closed TCP without sending a Close frame";
                co_return "";
            }
            if (close_frame_seen)
                co_return "the server sent " + ws::describe(*frame) + " after its Close frame";
            if (frame->opcode != 8) continue;
            close_frame_seen = true;
            FrameSpec reply{.opcode = 8, .close_code = ws::close_code(*frame)};
            co_await send(ws::encode_frame(reply));
        }
        co_return "the server kept sending frames";
    }

    awaitable<std::string> expect_open(int quiet_ms) {
        beast::error_code ec;
        std::array<char, 1024> chunk;
        stream_.expires_after(std::chrono::milliseconds(quiet_ms));
        std::size_t n = co_await stream_.async_read_some(
            asio::buffer(chunk), asio::redirect_error(asio::use_awaitable, ec));
        if (n > 0) record(Direction::received, std::string(chunk.data(), n));
        if (ec == beast::error::timeout) {
            note("quiet for " + std::to_string(quiet_ms) + " ms, as expected");
            co_return "";
        }
        if (ec) {
            closed_by(ec);
            co_return "the server closed the connection";
        }
        co_return "the server sent data where it should have stayed quiet";
    }

    beast::tcp_stream stream_;
    const RunOptions& options_;
    CaseResult& result_;
    Observation& seen_;
    Clock::time_point started_;
    Clock::time_point
        case_deadline_; // bounds a target that trickles bytes to stay under each read's deadline
    static constexpr std::size_t transcript_cap = 64 * 1024;
    std::size_t kept_ = 0; // received bytes kept in the transcript
    bool cap_noted_ = false;
    std::string pending_; // received and not yet consumed
    bool eof_ = false;
};

std::string unmet_need(const Case& c, const Target& target) {
    for (const auto& need : c.needs)
        if (auto why = target.unmet(need); !why.empty()) return why;
    return "";
}

class Executor {
  public:
    Executor(const std::vector<Case>& cases, const Catalogue& catalogue, const Target& target,
             const RunOptions& options)
        : cases_(cases), catalogue_(catalogue), target_(target), options_(options),
          results_(cases.size()), own_verdicts_(cases.size(), Verdict::skip) {
        for (std::size_t i = 0; i < cases.size(); ++i)
            index_[cases[i].id] = i;
    }

    std::vector<CaseResult> run() {
        auto waves = dependency_waves(cases_);
        tcp::resolver::results_type endpoints;
        std::string resolve_error = resolve(endpoints);
        for (const auto& wave : waves) {
            std::size_t next = 0;
            int workers = std::max(1, std::min<int>(options_.jobs, static_cast<int>(wave.size())));
            for (int w = 0; w < workers; ++w)
                asio::co_spawn(io_, worker(wave, next, endpoints, resolve_error), asio::detached);
            io_.run();
            io_.restart();
        }
        return std::move(results_);
    }

  private:
    std::string resolve(tcp::resolver::results_type& endpoints) {
        beast::error_code ec;
        tcp::resolver resolver(io_);
        endpoints = resolver.resolve(target_.host, target_.port, ec);
        if (ec) return "could not resolve " + target_.host + ": " + ec.message();
        return "";
    }

    awaitable<void> worker(const std::vector<std::size_t>& wave, std::size_t& next,
                           const tcp::resolver::results_type& endpoints,
                           const std::string& resolve_error) {
        while (next < wave.size()) {
            std::size_t index = wave[next++];
            CaseResult result;
            try {
                result = co_await run_one(cases_[index], endpoints, resolve_error);
            } catch (const std::exception& e) {
                result = skipped_case(cases_[index], "");
                result.verdict = Verdict::error;
                result.findings = {{cases_[index].requirement, Verdict::error,
                                    std::string("internal error: ") + e.what(), ""}};
            }
            own_verdicts_[index] =
                result.findings.empty() ? result.verdict : result.findings.front().verdict;
            if (options_.on_case_finished) options_.on_case_finished(result);
            results_[index] = std::move(result);
        }
    }

    std::string blocked_by(const Case& c) const {
        if (auto need = unmet_need(c, target_); !need.empty()) return need;
        for (const auto& dep : c.depends_on) {
            Verdict v = own_verdicts_[index_.at(dep)];
            if (v != Verdict::pass && v != Verdict::info)
                return "depends on " + dep + ", whose outcome was " + std::string(to_string(v));
        }
        return "";
    }

    awaitable<CaseResult> run_one(const Case& c, const tcp::resolver::results_type& endpoints,
                                  const std::string& resolve_error) {
        if (auto reason = blocked_by(c); !reason.empty()) co_return skipped_case(c, reason);

        Placeholders vars = placeholders_for(target_);
        Observation seen;
        CaseResult timing; // collects transcript, duration and deadline waits
        Session session(io_, options_, timing, seen);
        std::string bytes = build_request(c.send, catalogue_.templates, target_, vars);
        seen.request = parse_sent_request(bytes);
        if (!resolve_error.empty()) {
            seen.connect_error = resolve_error;
        } else if (co_await session.connect(endpoints) && co_await session.send(bytes)) {
            co_await session.read_response();
            if (seen.head && seen.head->status == 101 && !c.after_101.empty())
                co_await session.run_steps(c.after_101);
        }
        session.finish();

        CaseResult result = judge_case(c, seen, vars);
        result.transcript = std::move(timing.transcript);
        result.duration = timing.duration;
        result.deadline_waits = timing.deadline_waits;
        co_return result;
    }

    const std::vector<Case>& cases_;
    const Catalogue& catalogue_;
    const Target& target_;
    const RunOptions& options_;
    asio::io_context io_;
    std::vector<CaseResult> results_;
    std::vector<Verdict> own_verdicts_; // each case's own outcome, for depends_on
    std::map<std::string, std::size_t> index_;
};

} // namespace

std::vector<CaseResult> run_cases(const std::vector<Case>& cases, const Catalogue& catalogue,
                                  const Target& target, const RunOptions& options) {
    return Executor(cases, catalogue, target, options).run();
}

} // namespace upgradespec
