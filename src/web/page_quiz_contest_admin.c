/* Knowledge contests by their organisers: a new quiz contest, its rounds (window, time limit, prizes) and their
 * questions in the MOOC's kinds. Must not change a round that has opened, nor show a question to participants. */
#include "http/app.h"

const struct route page_quiz_contest_admin_routes[] = {
    { 0 },
};
