// The applications lab's reference values (fixtures/applications.json, written by
// tests/reference/make_applications_fixtures.py from NumPy, SciPy, scikit-learn and scikit-image).
#pragma once
#include <doctest/doctest.h>

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace apps {

using Json = nlohmann::json;

inline const Json& fixture() {
    static const Json j = [] {
        const std::string path = std::string(AE_FIXTURES_DIR) + "/applications.json";
        std::ifstream in(path);
        INFO("fixture " << path << " (regenerate with /usr/bin/python3 tests/reference/make_applications_fixtures.py)");
        REQUIRE(in.good());
        return Json::parse(in);
    }();
    return j;
}

inline std::vector<float> floats(const Json& a) { return a.get<std::vector<float>>(); }
inline std::vector<double> doubles(const Json& a) { return a.get<std::vector<double>>(); }
inline std::vector<std::uint8_t> bytes(const Json& a) {
    std::vector<std::uint8_t> out;
    for (const Json& v : a) out.push_back(std::uint8_t(v.get<int>()));
    return out;
}

}  // namespace apps
