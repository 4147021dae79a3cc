// The message of the ae::Error a call throws, for tests that check what a refusal says.
//
//   CHECK(error_of([&] { s.configure("{}", "{\"lr\":0}"); }) == "...");
//   CHECK_ERROR(parse_model_config(json), "part of the expected message");
#pragma once
#include <doctest/doctest.h>

#include <functional>
#include <string>

#include "core/error.hpp"

// The message, or "(no error)" when f returns normally. Other exceptions propagate.
inline std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const ae::Error& e) {
        return e.what();
    }
    return "(no error)";
}

// The ae::Error f throws (its code and parameters too), or Error("(no error)") when f returns.
inline ae::Error thrown(const std::function<void()>& f) {
    try {
        f();
    } catch (const ae::Error& e) {
        return e;
    }
    return ae::Error("(no error)");
}

// Checks that expr throws an ae::Error whose message contains text (shown on failure).
#define CHECK_ERROR(expr, text)                                   \
    do {                                                          \
        const std::string msg_ = error_of([&] { (void)(expr); }); \
        INFO("message: " << msg_);                                \
        CHECK(msg_.find(text) != std::string::npos);              \
    } while (0)
