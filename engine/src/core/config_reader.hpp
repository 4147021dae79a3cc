// Strict reading of JSON config objects: every key must be known, every value must have the
// right type and range, and each error names the section and key, e.g.
//   "model config: 'latent' must be an integer >= 1, got 0"
//   "model config: unknown key 'laten' (known keys: variant, input, encoder, latent, ...)"
#pragma once
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace ae {

using Json = nlohmann::json;

inline Json parse_json(const std::string& text, const std::string& what) {
    try {
        return Json::parse(text);
    } catch (const Json::parse_error& e) {
        fail(what, " is not valid JSON: ", e.what());
    }
}

class ConfigReader {
public:
    ConfigReader(const Json& obj, std::string section) : obj_(obj), section_(std::move(section)) {
        require(obj_.is_object(), section_, " must be a JSON object");
    }

    // An explicit null is an error, not "absent": JSON.stringify turns NaN and Infinity
    // into null, and a NaN learning rate must not be silently ignored.
    bool has(const char* key) {
        known_.insert(key);
        if (!obj_.contains(key)) return false;
        require(!obj_.at(key).is_null(), section_, ": '", key,
                "' is null (a value that is not a finite number, such as NaN, arrives as null)");
        return true;
    }

    // Each getter leaves `out` unchanged when the key is absent.
    void number(const char* key, double& out, double lo, double hi) {
        if (!has(key)) return;
        const Json& v = obj_.at(key);
        require(v.is_number(), section_, ": '", key, "' must be a number");
        const double d = v.get<double>();
        require(std::isfinite(d) && d >= lo && d <= hi, section_, ": '", key, "' must be a number in [", lo, ", ",
                hi, "], got ", d);
        out = d;
    }
    template <class Int>
    void integer(const char* key, Int& out, long long lo, long long hi) {
        if (!has(key)) return;
        const Json& v = obj_.at(key);
        require(v.is_number_integer() || (v.is_number() && std::floor(v.get<double>()) == v.get<double>()), section_,
                ": '", key, "' must be an integer");
        // Range-check as a double first: casting 1e300 to long long would be undefined.
        const double d = v.get<double>();
        require(d >= double(lo) && d <= double(hi), section_, ": '", key, "' must be an integer in [", lo, ", ", hi,
                "], got ", v.dump());
        const long long i = v.is_number_integer() ? v.get<long long>() : (long long)d;
        require(i >= lo && i <= hi, section_, ": '", key, "' must be an integer in [", lo, ", ", hi, "], got ", i);
        out = static_cast<Int>(i);
    }
    void boolean(const char* key, bool& out) {
        if (!has(key)) return;
        const Json& v = obj_.at(key);
        require(v.is_boolean(), section_, ": '", key, "' must be true or false");
        out = v.get<bool>();
    }
    void string(const char* key, std::string& out, const std::vector<std::string>& allowed = {}) {
        if (!has(key)) return;
        const Json& v = obj_.at(key);
        require(v.is_string(), section_, ": '", key, "' must be a string");
        const std::string s = v.get<std::string>();
        if (!allowed.empty()) {
            bool ok = false;
            std::string list;
            for (const auto& a : allowed) {
                ok = ok || a == s;
                list += (list.empty() ? "" : ", ") + a;
            }
            require(ok, section_, ": unknown ", key, " '", s, "' (expected one of: ", list, ")");
        }
        out = s;
    }
    void sizes(const char* key, std::vector<std::size_t>& out, long long lo, long long hi, std::size_t max_len) {
        if (!has(key)) return;
        const Json& v = obj_.at(key);
        require(v.is_array(), section_, ": '", key, "' must be an array of integers");
        require(v.size() <= max_len, section_, ": '", key, "' may hold at most ", max_len, " values, got ", v.size());
        std::vector<std::size_t> r;
        for (const Json& e : v) {
            require(e.is_number_integer(), section_, ": '", key, "' must contain integers only");
            const long long i = e.get<long long>();
            require(i >= lo && i <= hi, section_, ": every value in '", key, "' must be in [", lo, ", ", hi,
                    "], got ", i);
            r.push_back(static_cast<std::size_t>(i));
        }
        out = r;
    }
    const Json* object(const char* key) {
        if (!has(key)) return nullptr;
        require(obj_.at(key).is_object(), section_, ": '", key, "' must be an object");
        return &obj_.at(key);
    }

    // Call after reading every key: rejects anything not asked for.
    void reject_unknown() const {
        for (auto it = obj_.begin(); it != obj_.end(); ++it) {
            if (known_.count(it.key())) continue;
            std::string list;
            for (const auto& k : known_) list += (list.empty() ? "" : ", ") + k;
            fail(section_, ": unknown key '", it.key(), "' (known keys: ", list, ")");
        }
    }

private:
    const Json& obj_;
    std::string section_;
    std::set<std::string> known_;
};

}  // namespace ae
