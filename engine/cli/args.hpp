// Command-line parsing for `ae`: each command declares its flags (name, whether it takes a
// value, help text); anything else is a UsageError, which main() turns into the command's
// usage on stderr and exit code 2.
//
//   --flag value   --flag=value   --switch   positional arguments anywhere
#pragma once
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace ae::cli {

// The command line is wrong: exit 2, with the command's usage unless show_usage is false
// (a value the engine's config parser refused: its message is enough, plus a pointer to --help).
struct UsageError : std::runtime_error {
    explicit UsageError(const std::string& what, bool show_usage_ = true)
        : std::runtime_error(what), show_usage(show_usage_) {}
    bool show_usage;
};

struct FlagSpec {
    std::string name;   // without "--"
    std::string value;  // placeholder shown in help ("N", "FILE"); empty for a switch
    std::string help;
};

struct Command {
    std::string name;     // "train"
    std::string synopsis; // "ae train [options]"
    std::string about;    // one paragraph
    std::vector<FlagSpec> flags;
    std::size_t min_positional = 0, max_positional = 0;
    std::string epilog;   // examples, exit codes
};

struct Args {
    std::vector<std::string> positional;
    std::map<std::string, std::string> values;  // flag → value ("true" for a switch)
    std::vector<std::string> order;             // flags in the order given

    bool has(const std::string& flag) const { return values.count(flag) > 0; }
    std::string get(const std::string& flag, const std::string& fallback = "") const;
    double number(const std::string& flag, double fallback) const;             // UsageError if not a number
    long long integer(const std::string& flag, long long fallback, long long lo, long long hi) const;
};

// Throws UsageError for an unknown flag, a missing value, a value given to a switch, a repeated
// flag, or a wrong number of positional arguments. "--help"/"-h" sets values["help"].
Args parse_args(const Command& cmd, const std::vector<std::string>& argv);
std::string usage(const Command& cmd);

// Strict number parsing: the whole string must be a finite number.
bool parse_number(const std::string& s, double& out);

}  // namespace ae::cli
