#include "args.hpp"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace ae::cli {

bool parse_number(const std::string& s, double& out) {
    if (s.empty() || std::isspace(static_cast<unsigned char>(s[0]))) return false;
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(s.c_str(), &end);
    if (errno != 0 || end != s.c_str() + s.size() || !std::isfinite(v)) return false;
    out = v;
    return true;
}

std::string Args::get(const std::string& flag, const std::string& fallback) const {
    auto it = values.find(flag);
    return it == values.end() ? fallback : it->second;
}

double Args::number(const std::string& flag, double fallback) const {
    if (!has(flag)) return fallback;
    double v;
    if (!parse_number(get(flag), v)) throw UsageError("--" + flag + " expects a number, got '" + get(flag) + "'");
    return v;
}

long long Args::integer(const std::string& flag, long long fallback, long long lo, long long hi) const {
    if (!has(flag)) return fallback;
    const double v = number(flag, 0);
    if (v != std::floor(v) || v < double(lo) || v > double(hi))
        throw UsageError("--" + flag + " expects an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) +
                         "], got '" + get(flag) + "'");
    return (long long)v;
}

Args parse_args(const Command& cmd, const std::vector<std::string>& argv) {
    Args a;
    const auto spec_of = [&](const std::string& name) -> const FlagSpec* {
        for (const FlagSpec& f : cmd.flags)
            if (f.name == name) return &f;
        return nullptr;
    };
    for (std::size_t i = 0; i < argv.size(); ++i) {
        const std::string& tok = argv[i];
        if (tok == "--help" || tok == "-h") {
            a.values["help"] = "true";
            continue;
        }
        if (tok == "--") {
            for (++i; i < argv.size(); ++i) a.positional.push_back(argv[i]);
            break;
        }
        if (tok.size() < 2 || tok[0] != '-' || tok == "-") {
            a.positional.push_back(tok);
            continue;
        }
        if (tok.rfind("--", 0) != 0) throw UsageError("unknown option '" + tok + "' (options start with --)");
        std::string name = tok.substr(2), value;
        const auto eq = name.find('=');
        const bool inline_value = eq != std::string::npos;
        if (inline_value) {
            value = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        const FlagSpec* spec = spec_of(name);
        if (!spec) throw UsageError("unknown option '--" + name + "' for 'ae " + cmd.name + "'");
        if (a.has(name)) throw UsageError("option '--" + name + "' is given twice");
        if (spec->value.empty()) {  // a switch: --flag, or --flag=true|false
            if (inline_value && value != "true" && value != "false")
                throw UsageError("option '--" + name + "' is a switch: use --" + name + " or --" + name +
                                 "=true|false, not '" + value + "'");
            if (!inline_value) value = "true";
        } else if (!inline_value) {
            if (i + 1 >= argv.size() || (argv[i + 1].rfind("--", 0) == 0 && argv[i + 1].size() > 2))
                throw UsageError("option '--" + name + "' needs a value (" + spec->value + ")");
            value = argv[++i];
        }
        if (!spec->value.empty() && value.empty()) throw UsageError("option '--" + name + "' needs a value (" + spec->value + ")");
        a.values[name] = value;
        a.order.push_back(name);
    }
    if (a.has("help")) return a;
    const std::size_t n = a.positional.size();
    if (n < cmd.min_positional || n > cmd.max_positional) {
        if (n > cmd.max_positional)
            throw UsageError("unexpected argument '" + a.positional[cmd.max_positional] + "'");
        throw UsageError("missing argument: " + cmd.synopsis);
    }
    return a;
}

std::string usage(const Command& cmd) {
    std::string s = "usage: " + cmd.synopsis + "\n\n" + cmd.about + "\n";
    if (!cmd.flags.empty()) {
        s += "\noptions:\n";
        for (const FlagSpec& f : cmd.flags) {
            std::string left = "  --" + f.name + (f.value.empty() ? "" : " " + f.value);
            if (left.size() < 28)
                left.append(28 - left.size(), ' ');
            else
                left += "\n" + std::string(28, ' ');
            s += left + f.help + "\n";
        }
    }
    s += "  --help                    show this help\n";
    if (!cmd.epilog.empty()) s += "\n" + cmd.epilog + "\n";
    return s;
}

}  // namespace ae::cli
