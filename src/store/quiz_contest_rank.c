/* Rankings of a knowledge contest's round: best first by score, then time taken, then who finished first, read from
 * the partial indexes of migration 0023 with LIMIT, and ranks from the kept slice counts. Must not sort every attempt
 * on a read; its one write (store_qc_slice_add) runs inside the scoring transaction. */
#include "store/quiz_contest.h"
#include <stdio.h>
#include <string.h>

static int64_t num(const json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

json_t *store_qc_ranking(db *d, int64_t round_id, int64_t province_id, int limit, int offset)
{
    /* Two texts, so each engine plans the one index that answers it: (round, score DESC, time, id) or the same with
     * the province after the round. */
    db_stmt *s = db_prepare(d, province_id
        ? "SELECT a.id, a.score, a.time_ms, p.name, o.name AS province FROM contest_attempt a "
          "JOIN contest_participant p ON p.user_id = a.user_id JOIN org_unit o ON o.id = a.province_id "
          "WHERE a.round_id = ? AND a.province_id = ? AND a.score IS NOT NULL ORDER BY a.score DESC, a.time_ms, a.id LIMIT ? OFFSET ?"
        : "SELECT a.id, a.score, a.time_ms, p.name, o.name AS province FROM contest_attempt a "
          "JOIN contest_participant p ON p.user_id = a.user_id JOIN org_unit o ON o.id = a.province_id "
          "WHERE a.round_id = ? AND a.score IS NOT NULL AND 0 = ? ORDER BY a.score DESC, a.time_ms, a.id LIMIT ? OFFSET ?");
    db_bind_int(s, 1, round_id);
    db_bind_int(s, 2, province_id);
    db_bind_int(s, 3, limit);
    db_bind_int(s, 4, offset);
    json_t *rows = db_rows(s), *r;
    size_t i;
    json_array_foreach(rows, i, r) {
        json_object_set_new(r, "rank", json_integer(offset + (json_int_t)i + 1));
        int64_t ms = num(r, "time_ms");
        char t[32];
        snprintf(t, sizeof t, "%lld:%02lld,%lld", (long long)(ms / 60000), (long long)(ms / 1000 % 60), (long long)(ms / 100 % 10));
        json_object_set_new(r, "time_text", json_string(t));
        json_object_del(r, "id");
    }
    return rows;
}

int64_t store_qc_rank_of(db *d, int64_t round_id, int64_t province_id, int64_t score, int64_t time_ms, int64_t attempt_id)
{
    /* Those ahead: the slices of better scores, the slices of the same score and less time, then inside the own slice
     * (through the ranking index: a few hundred entries) the same score sooner, or as soon and finished earlier. */
    int64_t slice = time_ms / QC_SLICE_MS;
    db_stmt *s = db_prepare(d, province_id
        ? "SELECT COALESCE((SELECT SUM(n) FROM contest_rank_slice WHERE round_id = ? AND province_id = ? AND score > ?), 0) + "
          "COALESCE((SELECT SUM(n) FROM contest_rank_slice WHERE round_id = ? AND province_id = ? AND score = ? AND slice < ?), 0) + "
          "(SELECT COUNT(*) FROM contest_attempt WHERE round_id = ? AND province_id = ? AND score IS NOT NULL AND score = ? "
          "AND time_ms >= ? AND time_ms <= ? AND (time_ms < ? OR id < ?))"
        : "SELECT COALESCE((SELECT SUM(n) FROM contest_rank_slice WHERE round_id = ? AND province_id = ? AND score > ?), 0) + "
          "COALESCE((SELECT SUM(n) FROM contest_rank_slice WHERE round_id = ? AND province_id = ? AND score = ? AND slice < ?), 0) + "
          "(SELECT COUNT(*) FROM contest_attempt WHERE round_id = ? AND 0 = ? AND score IS NOT NULL AND score = ? "
          "AND time_ms >= ? AND time_ms <= ? AND (time_ms < ? OR id < ?))");
    int k = 1;
    db_bind_int(s, k++, round_id), db_bind_int(s, k++, province_id), db_bind_int(s, k++, score);
    db_bind_int(s, k++, round_id), db_bind_int(s, k++, province_id), db_bind_int(s, k++, score), db_bind_int(s, k++, slice);
    db_bind_int(s, k++, round_id), db_bind_int(s, k++, province_id), db_bind_int(s, k++, score);
    /* Both bounds on time_ms: with only the lower one the scan would run to the end of the score's entries. */
    db_bind_int(s, k++, slice * QC_SLICE_MS), db_bind_int(s, k++, time_ms), db_bind_int(s, k++, time_ms);
    db_bind_int(s, k++, attempt_id);
    int64_t ahead = db_scalar_int(s, -1);
    return ahead < 0 ? 0 : ahead + 1;
}

int store_qc_slice_add(db *d, int64_t round_id, int64_t province_id, int64_t score, int64_t time_ms)
{
    for (int i = 0; i < 2; i++) {
        db_stmt *s = db_prepare(d, "INSERT INTO contest_rank_slice (round_id, province_id, score, slice, n) VALUES (?, ?, ?, ?, 1) "
                                   "ON CONFLICT (round_id, province_id, score, slice) DO UPDATE SET n = contest_rank_slice.n + 1");
        db_bind_int(s, 1, round_id);
        db_bind_int(s, 2, i ? province_id : 0);
        db_bind_int(s, 3, score);
        db_bind_int(s, 4, time_ms / QC_SLICE_MS);
        int rc = db_step(s);
        db_done(s);
        if (rc == DB_ERROR) return -1;
    }
    return 0;
}

json_t *store_qc_winners(db *d, const json_t *round)
{
    json_t *prizes = json_object_get(round, "prizes"), *out = json_array();
    int64_t total = num(round, "winners_total");
    if (total <= 0 || total > 1000) return out;
    json_t *top = store_qc_ranking(d, num(round, "id"), 0, (int)total, 0), *p;
    size_t i, at = 0;
    json_array_foreach(prizes, i, p) {
        for (int64_t k = 0; k < num(p, "count") && at < json_array_size(top); k++, at++) {
            json_t *w = json_array_get(top, at);
            json_object_set(w, "prize", json_object_get(p, "name"));
            json_array_append(out, w);
        }
    }
    json_decref(top);
    return out;
}
