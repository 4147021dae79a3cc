// One error type for everything a caller can get wrong (configs, files, shapes, values).
// The binding turns it into a JS Error carrying what() unchanged, so messages are written
// for the person using the page: what was wrong, and what is expected instead.
//
// An error may also carry a stable code and named parameters, for callers that act on the
// error or show it in their own words (the page's worker, a message catalogue in another
// language): the binding copies them onto the JS Error as err.code and err.params. The
// English message stays the reference text; a code's parameters are listed where it is
// thrown, and the codes in use are these:
//
//   diverged             a loss or the weights became NaN or infinite (train/trainer.cpp)
//   out_of_memory        an allocation failed (the binding, for std::bad_alloc)
//   too_many_parameters  model config above kMaxModelParameters (models/config.cpp)
//   too_many_activations model config above kMaxActivationsPerImage (models/config.cpp)
//   too_much_memory      model + batch above kMaxTrainingBytes (train/cost.cpp)
//   count_overflow       a count times a size does not fit in size_t (core/checked.hpp)
//   nonfinite_model      a model (file) holds NaN or infinity (io/model_file.cpp)
#pragma once
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace ae {

// One named parameter of a coded error: a number or a text.
struct ErrorParam {
    std::string name;
    std::variant<double, std::string> value;
};
using ErrorParams = std::vector<ErrorParam>;

class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
    Error(std::string code, ErrorParams params, const std::string& message)
        : std::runtime_error(message), code_(std::move(code)), params_(std::move(params)) {}

    const std::string& code() const { return code_; }  // "" when the error has none
    const ErrorParams& params() const { return params_; }
    // The named parameter's number, or `fallback` when there is none (tests, callers).
    double number(const std::string& name, double fallback = 0) const {
        for (const ErrorParam& p : params_)
            if (p.name == name && std::holds_alternative<double>(p.value)) return std::get<double>(p.value);
        return fallback;
    }
    std::string text(const std::string& name) const {
        for (const ErrorParam& p : params_)
            if (p.name == name && std::holds_alternative<std::string>(p.value)) return std::get<std::string>(p.value);
        return "";
    }

private:
    std::string code_;
    ErrorParams params_;
};

namespace detail {
inline void append(std::ostringstream&) {}
template <class T, class... Rest>
void append(std::ostringstream& os, const T& first, const Rest&... rest) {
    os << first;
    append(os, rest...);
}
template <class... Parts>
std::string joined(const Parts&... parts) {
    std::ostringstream os;
    append(os, parts...);
    return os.str();
}
}  // namespace detail

// fail("latent size must be at least 1, got ", z) throws ae::Error with the joined message.
template <class... Parts>
[[noreturn]] void fail(const Parts&... parts) {
    throw Error(detail::joined(parts...));
}

template <class... Parts>
void require(bool ok, const Parts&... parts) {
    if (!ok) fail(parts...);
}

// fail_coded("diverged", {{"step", 12.0}, {"value", "nan"}}, "training diverged: ...")
template <class... Parts>
[[noreturn]] void fail_coded(const char* code, ErrorParams params, const Parts&... parts) {
    throw Error(code, std::move(params), detail::joined(parts...));
}

// The same error (code and parameters kept) with `prefix` put before its message, for a
// caller that says where it happened ("model file: ...").
[[noreturn]] inline void fail_prefixed(const std::string& prefix, const Error& e) {
    throw Error(e.code(), e.params(), prefix + e.what());
}

}  // namespace ae
