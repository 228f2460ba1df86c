// The scheduler: liveness probes, echo detection, --jobs slots filled by engine/schedule, one
// Session (engine/session.hpp) per case.
#include "engine/session.hpp"

#include "engine/backend.hpp"
#include "engine/executor.hpp"
#include "engine/interrupts.hpp"

#include "checks/judge.hpp"
#include "checks/outcome.hpp"
#include "engine/h2_case.hpp"
#include "engine/request.hpp"
#include "engine/schedule.hpp"
#include "wire/request_head.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string_view>

namespace upgradespec {

namespace {

// The liveness probe's moment before any case ran, in its messages.
constexpr const char* before_the_run = "before the run";

std::string what_of(std::exception_ptr thrown) {
    try {
        std::rethrow_exception(thrown);
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "an exception that is not a std::exception";
    }
}

bool lists(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

std::string status_line_or_nothing(const Observation& seen) {
    if (seen.head)
        return seen.head->version + " " + std::to_string(seen.head->status) + " " +
               seen.head->reason;
    return seen.closed ? "nothing, and closed the connection" : "nothing";
}

bool has_backend_steps(const Case& c) {
    return std::any_of(c.after_101.begin(), c.after_101.end(),
                       [](const Step& s) { return s.leg == Leg::backend; });
}

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

    RunOutcome run() {
        Schedule schedule(cases_); // a cycle or a missing dependency throws before any I/O
        RunOutcome outcome;
        try {
            outcome = run_all(schedule);
        } catch (const std::exception& e) {
            outcome = internal_error(e.what());
        }
        if (options_.interrupts) options_.interrupts->leave(this);
        // Held again, a second signal cannot end the process while the reports are written.
        hold_interrupts();
        return outcome;
    }

  private:
    RunOutcome run_all(Schedule& schedule) {
        if (std::string problem = prepare_tls(); !problem.empty()) return not_judged(problem);
        std::string resolve_error = resolve();
        if (!resolve_error.empty())
            return not_judged("the target could not be reached: " + resolve_error);
        // SIGINT/SIGTERM stop the run at once: finished cases are kept, the rest are not run.
        // The other runs of the group (--targets) stop with it.
        interrupts_.async_wait([this](const beast::error_code& ec, int) {
            if (ec) return;
            if (options_.interrupts) options_.interrupts->interrupt();
            stop_for_interrupt();
        });
        if (options_.interrupts)
            options_.interrupts->join(
                this, [this] { asio::post(io_, [this] { stop_for_interrupt(); }); });
        release_interrupts(); // a signal held since the CLI started is caught now
        if (std::string problem = open_backend(); !problem.empty()) return not_judged(problem);
        spawn(check_alive(before_the_run));
        drain();
        if (backend_ && target_problem_.empty() && !interrupted_) {
            spawn(check_backend());
            drain();
        }
        if (!target_problem_.empty() && !interrupted_) return not_judged(target_problem_);
        if (!interrupted_) {
            run_start_ = Clock::now();
            schedule_ = &schedule;
            if (options_.detect_echo && target_.websocket_endpoint && !target_.websocket_echo &&
                !backend_) // behind a proxy, the endpoint is the runner's own backend
                spawn(detect_echo(hold_cases_needing("websocket-echo")));
            start_ready_cases();
            drain();
        }
        interrupts_.cancel();
        if (backend_) stop_backend();
        if (!failure_.empty()) return internal_error(failure_);
        if (interrupted_)
            fill_unfinished(
                [](const Case& c) { return skipped_case(c, "not run: the run was interrupted"); });
        return {std::move(results_), target_problem_, interrupted_, std::move(detected_)};
    }

    void stop_for_interrupt() {
        interrupted_ = true;
        io_.stop();
    }

    // An exception no case caught: the cases without a result are not judged, and the run says
    // why (exit 3), so the reports are still written whole.
    RunOutcome internal_error(const std::string& what) {
        const std::string problem = "internal error: " + what;
        fill_unfinished([&](const Case& c) { return unjudged_case(c, problem); });
        return {std::move(results_), problem, interrupted_, std::move(detected_)};
    }

    // The pending interrupt wait keeps io_ busy forever: each batch of coroutines stops it when
    // the last one ends, so run() returns.
    void spawn(awaitable<void> task) {
        ++active_;
        asio::co_spawn(io_, std::move(task), [this](std::exception_ptr thrown) {
            if (thrown && failure_.empty()) failure_ = what_of(thrown);
            if (--active_ == 0) io_.stop();
        });
    }

    void drain() {
        if (active_ > 0) io_.run();
        io_.restart();
    }

    // The cases that never got a result (an interrupted or failed run) get `make(case)`.
    template <class Make> void fill_unfinished(Make make) {
        for (std::size_t i = 0; i < cases_.size(); ++i)
            if (results_[i].id.empty()) results_[i] = make(cases_[i]);
    }

    RunOutcome not_judged(const std::string& problem) {
        for (std::size_t i = 0; i < cases_.size(); ++i)
            finish(i, unjudged_case(cases_[i], problem));
        return {std::move(results_), problem};
    }

    // The TLS context every connection shares (wss://, https://, RFC 2817 upgrades).
    std::string prepare_tls() {
        try {
            tls_context_.emplace(options_.tls);
        } catch (const tls::Error& e) {
            return std::string("the TLS settings cannot be used: ") + e.what();
        }
        tls_setup_ = {.context = &*tls_context_,
                      .server_name = options_.tls.sni.empty() ? target_.host : options_.tls.sni,
                      .at_connect = target_.uses_tls()};
        return "";
    }

    std::string resolve() {
        beast::error_code ec;
        tcp::resolver resolver(io_);
        // --resolve: the URL's host stays in Host and SNI, the address is where to connect.
        const std::string& where =
            target_.connect_address.empty() ? target_.host : target_.connect_address;
        endpoints_ = resolver.resolve(where, target_.port, ec);
        if (ec) return "could not resolve " + where + ": " + ec.message();
        // The TLS endpoint of the cases with their own connection: the target itself over TLS,
        // or --tls-port beside a cleartext one.
        tls_endpoints_ = endpoints_;
        if (target_.uses_tls() || target_.tls_port.empty()) return "";
        tls_endpoints_ = resolver.resolve(where, target_.tls_port, ec);
        if (ec) return "could not resolve " + where + " (TLS port): " + ec.message();
        return "";
    }

    // What the target answers a request of the catalogue's templates, outside any case.
    awaitable<Observation> probe(const Case& probe) {
        Placeholders vars = placeholders_for(target_);
        std::string bytes = build_request(probe.send, catalogue_.templates, target_, vars);
        Observation seen;
        CaseResult ignored;
        Session session(io_, options_, ignored, seen, tls_setup_);
        BackendLeg backend_leg(*this, probe, vars, session, seen);
        seen.request = parse_sent_request(bytes);
        if (co_await session.connect(endpoints_)) co_await session.converse(probe, bytes, {});
        session.finish();
        co_return seen;
    }

    // --backend: the runner listens as the origin the proxy forwards to; "" or why it cannot.
    std::string open_backend() {
        if (target_.backend.empty()) return "";
        backend_.emplace(io_);
        return backend_->listen(target_.backend);
    }

    void stop_backend() {
        backend_->stop();
        if (backend_->late() > 0)
            detected_.push_back(
                std::to_string(backend_->late()) +
                " request(s) reached the backend after their case had ended (the proxy forwarded "
                "them late; they got a 404 and no case saw them)");
    }

    // One request through the proxy, tagged like a case's: when none reaches the backend, the
    // proxy is not forwarding there, and no intermediary case could say anything.
    awaitable<void> check_backend() {
        Case tagged;
        tagged.send.raw = "GET " +
                          std::string(target_.websocket_endpoint ? "{ws_path}" : "{plain_path}") +
                          " HTTP/1.1\r\nHost: {authority}\r\nUpgradespec-Case: {nonce}\r\n"
                          "Connection: close\r\n\r\n";
        tagged.backend = BackendScript{
            {{.respond = "HTTP/1.1 200 OK\r\nContent-Length: 20\r\nContent-Type: text/plain\r\n"
                         "Connection: close\r\n\r\nupgradespec backend\n"}}};
        const Observation seen = co_await probe(tagged);
        if (!seen.backend_requests.empty()) co_return;
        target_problem_ = "no request reached the backend on " + target_.backend +
                          " (--backend) through the proxy within the deadline: is the proxy "
                          "forwarding to " +
                          target_.backend + "? The proxy answered: " + status_line_or_nothing(seen);
    }

    // The cases that need `need`, held back in the schedule until released.
    std::vector<std::size_t> hold_cases_needing(const std::string& need) {
        std::vector<std::size_t> held;
        for (std::size_t i = 0; i < cases_.size(); ++i)
            if (lists(cases_[i].needs, need)) held.push_back(i);
        for (std::size_t i : held)
            schedule_->hold(i);
        return held;
    }

    // A bare URL: one text message after a clean handshake tells whether the endpoint echoes, so
    // the echo cases run against an echo server without --echo (--no-echo turns this off). The
    // other cases run meanwhile; the echo cases (`waiting`) start once it is known.
    awaitable<void> detect_echo(std::vector<std::size_t> waiting) {
        const std::string text = "upgradespec echo probe";
        Case echo;
        echo.send.template_name = "ws-upgrade";
        Step send{.kind = Step::Kind::send_frame};
        send.frame = FrameSpec{.opcode = 1, .payload = text};
        Step expect{.kind = Step::Kind::expect_message};
        expect.opcode = 1;
        expect.payload = text;
        echo.after_101 = {send, expect};
        const Observation seen = co_await probe(echo);
        const bool switched = seen.head && seen.head->status == 101;
        target_.websocket_echo = switched && seen.steps_ran && seen.step_failure.empty();
        if (target_.websocket_echo)
            detected_.push_back("the WebSocket endpoint echoes a text message: the echo cases run "
                                "(--no-echo turns this detection off)");
        else
            detected_.push_back(
                "the WebSocket endpoint did not echo a text message (" +
                (switched ? seen.step_failure : std::string("the handshake got no 101")) +
                "): the echo cases are skipped (--echo runs them all the same)");
        for (std::size_t i : waiting)
            schedule_->release(i);
        start_ready_cases();
    }

    // A plain GET: any HTTP response means the target is alive; so does an answer to a WebSocket
    // handshake, from a WebSocket-only server that closes on anything else (RFC 9112 9.5 lets
    // it). Sets target_problem_ if neither is answered.
    awaitable<void> check_alive(std::string when) {
        Case plain;
        plain.send.template_name = "plain-get";
        const Observation seen = co_await probe(plain);
        if (seen.head) co_return;
        if (!seen.connect_error.empty()) {
            target_problem_ = "the target could not be reached " + when + ": " + seen.connect_error;
            co_return;
        }
        if (target_.websocket_endpoint) {
            Case handshake;
            handshake.send.template_name = "ws-upgrade";
            const Observation answer = co_await probe(handshake);
            if (answer.head) {
                if (when == before_the_run)
                    detected_.push_back("the target answers a WebSocket handshake but not a plain "
                                        "GET: a WebSocket-only server");
                co_return;
            }
        }
        std::string why = seen.timed_out ? "no answer within the deadline"
                                         : "the connection closed without an answer";
        target_problem_ = "the target did not answer a plain GET " + when + ": " + why;
    }

    // Fills the free --jobs slots with ready cases, longest known wait first.
    void start_ready_cases() {
        while (running_ < std::max(1, options_.jobs)) {
            auto index = schedule_->next();
            if (!index) return;
            ++running_;
            spawn(run_in_slot(*index));
        }
    }

    // One case in one of the --jobs slots. A destructive case keeps its slot, and its dependents
    // wait, until the liveness probe after it has answered; the other slots go on meanwhile.
    awaitable<void> run_in_slot(std::size_t index) {
        const Case& c = cases_[index];
        CaseResult result;
        if (!target_problem_.empty()) {
            result = unjudged_case(c, "not judged: " + target_problem_);
        } else {
            const auto started = Clock::now();
            try {
                result = co_await run_one(c);
            } catch (...) {
                result = unjudged_case(c, "internal error: " + what_of(std::current_exception()));
            }
            result.started =
                std::chrono::duration_cast<std::chrono::microseconds>(started - run_start_);
        }
        const bool probe_after = lists(c.tags, "destructive") && target_problem_.empty();
        finish(index, std::move(result));
        if (probe_after) co_await check_alive("after " + c.id);
        schedule_->done(index);
        --running_;
        start_ready_cases();
    }

    void finish(std::size_t index, CaseResult result) {
        own_verdicts_[index] =
            result.findings.empty() ? result.verdict : result.findings.front().verdict;
        if (options_.on_case_finished) options_.on_case_finished(result);
        results_[index] = std::move(result);
    }

    // An intermediary case's other end, while the case runs: the backend gives it the requests
    // tagged with its {nonce}, and its backend steps run on the proxy's connection.
    class BackendLeg {
      public:
        BackendLeg(Executor& run, const Case& c, const Placeholders& vars, Session& client,
                   Observation& seen) {
            if (!c.backend || !run.backend_) return;
            leg_.emplace(run.io_, client, leg_seen_);
            client.set_backend_leg(&*leg_);
            registration_.emplace(*run.backend_, vars.at("nonce"),
                                  Backend::Expecting{&*c.backend, &vars,
                                                     expand(c.backend->marker, vars), &*leg_, &seen,
                                                     has_backend_steps(c)});
        }
        void finish() {
            if (leg_) leg_->finish();
        }

      private:
        Observation leg_seen_; // the leg's own frames: no response rule judges them
        std::optional<Session> leg_;
        std::optional<Backend::Registration> registration_;
    };

    std::string blocked_by(const Case& c) const {
        if (backend_ && !c.backend)
            return "the target is a proxy in front of the runner's backend (--backend): only the "
                   "intermediary cases judge it";
        if (auto need = unmet_need(c, target_); !need.empty()) return need;
        for (const auto& dep : c.depends_on) {
            if (dependable_.count(dep)) continue;
            // A dependency kept from running by a claim this case does not need holds nothing
            // back: the case judges on its own (h2c cases after an unclaimed switch).
            const std::size_t at = index_.at(dep);
            if (!unmet_need(cases_[at], target_).empty()) continue;
            Verdict v = own_verdicts_[at];
            return "depends on " + dep + ", whose outcome was " + std::string(to_string(v)) +
                   (v == Verdict::warn ? " without what this case needs" : "");
        }
        return "";
    }

    awaitable<CaseResult> run_one(const Case& c) {
        if (auto reason = blocked_by(c); !reason.empty()) co_return skipped_case(c, reason);

        Placeholders vars = placeholders_for(target_);
        Observation seen;
        for (const auto& dep : c.depends_on)
            if (auto status = statuses_.find(dep); status != statuses_.end())
                seen.dependency_statuses.insert(*status);
        CaseResult timing; // collects transcript, duration and deadline waits
        TlsSetup case_tls = tls_setup_;
        if (c.connect) {
            case_tls.alpn = c.connect->alpn;
            case_tls.at_connect = true;
            case_tls.refusal_is_an_answer = true;
        }
        std::optional<tcp::acceptor> listener;
        if (c.connect && c.connect->listener) {
            std::string why = open_listener(listener, vars);
            if (!why.empty()) co_return skipped_case(c, why);
        }
        Session session(io_, options_, timing, seen, case_tls, deliberate_wait(c));
        session.set_listener(listener ? &*listener : nullptr);
        BackendLeg backend_leg(*this, c, vars, session, seen);
        std::string bytes;
        std::vector<std::string> follow_ups;
        if (c.h2.empty()) {
            bytes = build_request(c.send, catalogue_.templates, target_, vars);
            for (const auto& follow_up : c.then)
                follow_ups.push_back(
                    build_request(follow_up.send, catalogue_.templates, target_, vars));
            seen.request = parse_sent_request(bytes);
        }
        const auto& endpoints = c.connect ? tls_endpoints_ : endpoints_;
        const Case run = c.h2.empty() ? Case{} : with_h2_fields_expanded(c, vars);
        if (co_await session.connect(endpoints))
            co_await session.converse(c.h2.empty() ? c : run, bytes, follow_ups);
        backend_leg.finish();
        session.finish();

        CaseResult result = judge_case(c, seen, vars);
        if (lets_dependents_run(c, seen, vars)) dependable_.insert(c.id);
        if (seen.head) statuses_[c.id] = seen.head->status;
        result.transcript = std::move(timing.transcript);
        result.duration = timing.duration;
        result.deadline_waits = timing.deadline_waits;
        co_return result;
    }

    // A loopback listener for a case (XC-NO-TCP-TUNNEL), named by {listener_authority}. Only for a
    // target on loopback, which can reach it: else why not.
    std::string open_listener(std::optional<tcp::acceptor>& listener, Placeholders& vars) {
        if (tls_endpoints_.empty()) return "needs a TLS endpoint";
        auto address = tls_endpoints_.begin()->endpoint().address();
        if (!address.is_loopback())
            return "needs a listener the target can reach: the runner opens one on loopback, and "
                   "the target is not on loopback";
        beast::error_code ec;
        listener.emplace(io_);
        tcp::endpoint where(address, 0);
        listener->open(where.protocol(), ec);
        if (!ec) listener->bind(where, ec);
        if (!ec) listener->listen(8, ec);
        if (ec) return "could not open a loopback listener: " + ec.message();
        vars["listener_authority"] = listener_authority(address.to_string(), address.is_v6(),
                                                        listener->local_endpoint().port());
        return "";
    }

    const std::vector<Case>& cases_;
    const Catalogue& catalogue_;
    Target target_; // a copy: what the run detects (an echo endpoint) is added to it
    const RunOptions& options_;
    // Before io_: the coroutines io_ destroys at the end may still hold a case's registration.
    std::optional<Backend> backend_;
    asio::io_context io_;
    asio::signal_set interrupts_{io_, SIGINT, SIGTERM};
    bool interrupted_ = false;
    int active_ = 0;      // coroutines spawned and not yet ended
    int running_ = 0;     // cases in their --jobs slots
    std::string failure_; // what a coroutine threw that no case caught
    Schedule* schedule_ = nullptr;
    Clock::time_point run_start_; // when the first case could start (CaseResult::started)
    std::vector<CaseResult> results_;
    std::vector<Verdict> own_verdicts_;   // each case's own outcome, for depends_on
    std::map<std::string, int> statuses_; // each finished case's final status, for same_status_as
    std::set<std::string> dependable_;    // cases whose dependents may run (lets_dependents_run)
    std::map<std::string, std::size_t> index_;
    tcp::resolver::results_type endpoints_;
    tcp::resolver::results_type tls_endpoints_; // for cases with their own TLS connection
    std::string target_problem_;                // set once the target failed a liveness probe
    std::vector<std::string> detected_;         // what the run found out about the target
    std::optional<tls::Context> tls_context_;
    TlsSetup tls_setup_;
};

} // namespace

RunOutcome run_cases(const std::vector<Case>& cases, const Catalogue& catalogue,
                     const Target& target, const RunOptions& options) {
    return Executor(cases, catalogue, target, options).run();
}

} // namespace upgradespec
