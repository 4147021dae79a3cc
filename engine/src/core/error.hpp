// One error type for everything a caller can get wrong (configs, files, shapes, values).
// The binding turns it into a JS Error carrying what() unchanged, so messages are written
// for the person using the page: what was wrong, and what is expected instead.
#pragma once
#include <sstream>
#include <stdexcept>
#include <string>

namespace ae {

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

namespace detail {
inline void append(std::ostringstream&) {}
template <class T, class... Rest>
void append(std::ostringstream& os, const T& first, const Rest&... rest) {
    os << first;
    append(os, rest...);
}
}  // namespace detail

// fail("latent size must be at least 1, got ", z) throws ae::Error with the joined message.
template <class... Parts>
[[noreturn]] void fail(const Parts&... parts) {
    std::ostringstream os;
    detail::append(os, parts...);
    throw Error(os.str());
}

template <class... Parts>
void require(bool ok, const Parts&... parts) {
    if (!ok) fail(parts...);
}

}  // namespace ae
