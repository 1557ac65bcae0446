/*
 * Seed 000: a SIGFPE handler that longjmps out of an integer division by
 * zero, ten times.  The program as the seed gives it (its braces, lost in
 * the seed's text, restored); SA_NODEFER | SA_NOMASK lets the handler run
 * again while the first run has never returned.
 *
 * Expected output: "inside handler" ten times, then "After for loop" (no
 * newline); exit status 0.
 */
#include <stdio.h>
#include <signal.h>
#include <setjmp.h>
#include <string.h>

jmp_buf fpe;

void handler(int signum)
{
    // Do stuff here then return to execution below
    printf("inside handler\n");
    longjmp(fpe, 1);
}

int main()
{
    volatile int i, j;
    for(i = 0; i < 10; i++) {
        // Call signal handler for SIGFPE
        struct sigaction act;
        struct sigaction oldact;
        memset(&act, 0, sizeof(act));
        act.sa_handler = handler;
        act.sa_flags = SA_NODEFER | SA_NOMASK;
        sigaction(SIGFPE, &act, &oldact);

        if (0 == setjmp(fpe)) {
            j = i / 0;
            sigaction(SIGFPE, &oldact, &act);
        } else {
            sigaction(SIGFPE, &oldact, &act);
            /* handle SIGFPE */
        }
    }

    printf("After for loop");

    return 0;
}
