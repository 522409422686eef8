#include "Numbers.h"

#include <charconv>
#include <cmath>

namespace cosw {

namespace {

// from_chars accepts neither a leading '+' nor a leading '.', which YAML and
// hand-written configs use; everything else it reads exactly.
template <typename T> std::optional<T> parseWhole(std::string_view text, bool real)
{
    if (!text.empty() && text.front() == '+')
        text.remove_prefix(1);
    if (text.empty() || text.front() == '+')
        return std::nullopt;
    T value{};
    std::from_chars_result r{};
    if constexpr (std::is_floating_point_v<T>) {
        std::string padded; // ".5" / "-.5" -> "0.5" / "-0.5"
        const bool negative = text.front() == '-';
        if (real && text.size() > size_t(negative) && text[negative] == '.') {
            padded = std::string(text.substr(0, negative)) + "0" + std::string(text.substr(negative));
            text = padded;
        }
        r = std::from_chars(text.data(), text.data() + text.size(), value, std::chars_format::general);
        if (r.ec != std::errc() || r.ptr != text.data() + text.size())
            return std::nullopt;
        // from_chars also reads "inf" and "nan"; file numbers are finite decimals.
        if (!std::isfinite(value))
            return std::nullopt;
        return value;
    } else {
        r = std::from_chars(text.data(), text.data() + text.size(), value, 10);
        if (r.ec != std::errc() || r.ptr != text.data() + text.size())
            return std::nullopt;
        return value;
    }
}

template <typename... Args> std::string toChars(double value, Args... args)
{
    char buf[400]; // fixed notation of 1e308 needs 309 digits plus decimals
    const auto r = std::to_chars(buf, buf + sizeof buf, value, args...);
    return r.ec == std::errc() ? std::string(buf, r.ptr) : std::string();
}

} // namespace

std::optional<double> parseReal(std::string_view text) { return parseWhole<double>(text, true); }

std::optional<int64_t> parseInteger(std::string_view text) { return parseWhole<int64_t>(text, false); }

std::string formatReal(double value) { return toChars(value); }

std::string formatRealSignificant(double value, int digits)
{
    return toChars(value, std::chars_format::general, digits);
}

std::string formatRealFixed(double value, int decimals)
{
    return toChars(value, std::chars_format::fixed, decimals);
}

} // namespace cosw
