// Leaks one allocation on purpose. The sanitizer build runs it as a test that
// passes only when LeakSanitizer reports the leak, so a run where leak checks
// are off, or where the suppressions file cannot be read, is seen as such
// instead of passing in silence.

#include <cstdio>
#include <cstdlib>

// Volatile: the compiler may not drop an allocation it can see is unused.
void *volatile g_lost;

int main()
{
    g_lost = std::malloc(4096);
    g_lost = nullptr;
    std::puts("one allocation of 4096 bytes lost");
    return 0;
}
