-- Each unit named in a task keeps its own status and progress: two lead units of a shared task report apart, and
-- the task's own status, progress and done date are derived from its lead units (src/store/task.c), never typed.
ALTER TABLE task_unit ADD COLUMN status TEXT NOT NULL DEFAULT 'not_started';
ALTER TABLE task_unit ADD COLUMN progress BIGINT NOT NULL DEFAULT 0;
ALTER TABLE task_unit ADD COLUMN done_on TEXT;
-- Tasks reported before: every unit starts where the task stood, so no finished task reopens.
UPDATE task_unit SET status = (SELECT t.status FROM task t WHERE t.id = task_unit.task_id),
  progress = (SELECT t.progress FROM task t WHERE t.id = task_unit.task_id),
  done_on = (SELECT t.done_on FROM task t WHERE t.id = task_unit.task_id);
