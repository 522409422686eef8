#pragma once
// What people read from the command line (help, progress, reports, the
// errors it adds) in their language, through gettext (LC_MESSAGES and
// LANGUAGE; domain "cos-batch"). Machine output (JSON, exports, files) never
// goes through here, and numbers stay in the "C" notation. Placeholders are
// %1..%9, as in the desktop's strings.

#include <initializer_list>
#include <string>
#include <vector>

namespace cosw {

// Binds the catalogues: share/locale under the prefix the program is
// installed in, else the build tree's; the language comes from LC_MESSAGES
// (LANGUAGE may list several), numbers keep the "C" locale.
void initMessages();

// `english` in the user's language, itself where no translation exists.
const char *msg(const char *english);
// The plural form for n.
const char *msgn(const char *singular, const char *plural, unsigned long n);
// `pattern` with %1..%9 replaced by `args` in order.
std::string fill(const std::string &pattern, std::initializer_list<std::string> args);
// Items as messages list them: "a, b, c".
std::string listText(const std::vector<std::string> &items);

} // namespace cosw
