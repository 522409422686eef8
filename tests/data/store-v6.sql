-- An experiment store as schema version 6 wrote it (core/store/ExperimentStore.cpp,
-- migrations 0 -> 1 -> 2 -> 3 -> 4 -> 5 -> 6: runs outside any sweep, before their parameter count was known,
-- whose process start was not recorded; one imported language model; a stage taken from the stage cache; nothing recorded yet of where a run is). tst_store loads it with sqlite3_exec, opens it with the
-- current ExperimentStore and checks that everything below reads back.
-- The expected content is the same for every store-vN.sql fixture.
CREATE TABLE runs (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('queued','running','finished','failed','interrupted')),
    config       TEXT NOT NULL,
    connector    TEXT NOT NULL DEFAULT '',
    host         TEXT NOT NULL DEFAULT '',
    pid          INTEGER,
    device       TEXT NOT NULL DEFAULT '',
    versions     TEXT NOT NULL DEFAULT '{}',
    created_at   REAL NOT NULL,
    started_at   REAL,
    ended_at     REAL,
    heartbeat_at REAL,
    message      TEXT NOT NULL DEFAULT '',
    sweep        TEXT NOT NULL DEFAULT '',
    sweep_variant TEXT NOT NULL DEFAULT '',
    sweep_seed   INTEGER,
    parameters   INTEGER,
    pid_started_at REAL,
    progress     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX runs_status ON runs(status);
CREATE INDEX runs_sweep ON runs(sweep);
CREATE TABLE stages (
    run_id               INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    idx                  INTEGER NOT NULL,
    name                 TEXT NOT NULL,
    kind                 TEXT NOT NULL DEFAULT '',
    visual_tokens        INTEGER NOT NULL,
    tokens_per_scale     TEXT NOT NULL DEFAULT '[]',
    resolution           INTEGER NOT NULL,
    steps                INTEGER NOT NULL DEFAULT 0,
    wall_seconds         REAL,
    samples_per_second   REAL,
    lm_tokens_per_second REAL,
    step_seconds         REAL,
    final_loss           REAL,
    feature_cache        INTEGER NOT NULL DEFAULT 0,
    from_cache           INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, idx)
);
CREATE TABLE metrics (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    stage  INTEGER NOT NULL,
    step   INTEGER NOT NULL,
    name   TEXT NOT NULL,
    value  REAL,
    time   REAL NOT NULL
);
CREATE INDEX metrics_series ON metrics(run_id, name, step);
CREATE TABLE evaluations (
    id       INTEGER PRIMARY KEY,
    run_id   INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    stage    INTEGER NOT NULL,
    step     INTEGER NOT NULL,
    accuracy REAL NOT NULL,
    n        INTEGER NOT NULL,
    time     REAL NOT NULL,
    type_prior REAL,
    shuffled_accuracy REAL,
    cell_reading REAL,
    cell_reading_cells INTEGER,
    cell_reading_prior REAL
);
CREATE INDEX evaluations_run ON evaluations(run_id, stage, step);
CREATE TABLE evaluation_types (
    evaluation_id INTEGER NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
    type          TEXT NOT NULL,
    accuracy      REAL NOT NULL,
    n             INTEGER NOT NULL,
    type_prior REAL,
    shuffled_accuracy REAL,
    PRIMARY KEY (evaluation_id, type)
);
CREATE TABLE checkpoints (
    id     INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    stage  INTEGER NOT NULL,
    step   INTEGER NOT NULL,
    path   TEXT NOT NULL,
    time   REAL NOT NULL
);
CREATE TABLE artifacts (
    id          INTEGER PRIMARY KEY,
    run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    path        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    time        REAL NOT NULL
);

-- Run 1 finished; run 2 was left `running` on another host long ago, so
-- opening the store marks it interrupted.
INSERT INTO runs (id, name, status, config, connector, host, pid, device, versions,
                  created_at, started_at, ended_at, heartbeat_at, message)
VALUES (1, 'fixture run', 'finished', '{"seed":3,"stages":3}', 'chain_of_sight', 'fixture-host', 4242,
        'cuda:0', '{"program":"0.1.0","libtorch":"2.1.0"}',
        1700000000.5, 1700000001.0, 1700005401.0, 1700005400.0, '');
INSERT INTO runs (id, name, status, config, connector, host, pid, device, versions,
                  created_at, started_at, ended_at, heartbeat_at, message)
VALUES (2, 'fixture left running', 'running', '{}', 'resampler', 'fixture-host', 4243,
        'cpu', '{}', 1700000100.0, 1700000101.0, NULL, 1700000200.0, '');

INSERT INTO stages VALUES (1, 0, 'align', 'vision', 16, '[16]', 224, 100, 12.5, 80.0, NULL, 0.15, 2.5, 0, 0);
INSERT INTO stages VALUES (1, 1, 'pretrain', 'pretrain', 80, '[16,64]', 448, 1000, 3600.0, 55.5, 9000.0, 0.12, 1.25, 1, 0);
INSERT INTO stages VALUES (1, 2, 'sft', 'finetune', 336, '[16,64,256]', 448, 500, 1800.0, 20.0, 4000.0, 0.3, 0.75, 0, 0);
-- Run 2 took its vision tower from the stage cache: no steps trained.
INSERT INTO stages VALUES (2, 0, 'align', 'vision', 0, '[]', 224, 0, 0.4, NULL, NULL, NULL, NULL, 0, 1);

-- 500 points of "loss" (step 10*i, value 5/i) and 50 of "lr".
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 500)
INSERT INTO metrics (run_id, stage, step, name, value, time)
SELECT 1, 1, 10 * i, 'loss', 5.0 / i, 1700000001.0 + i FROM s;
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 50)
INSERT INTO metrics (run_id, stage, step, name, value, time)
SELECT 1, 1, 100 * i, 'lr', 0.001, 1700000001.0 + i FROM s;

INSERT INTO evaluations VALUES (1, 1, 1, 1000, 0.41, 200, 1700003700.0, NULL, NULL, NULL, NULL, NULL);
INSERT INTO evaluations VALUES (2, 1, 2, 500, 0.62, 200, 1700005400.0, NULL, NULL, NULL, NULL, NULL);
INSERT INTO evaluation_types VALUES (1, 'ocr', 0.3, 100, NULL, NULL);
INSERT INTO evaluation_types VALUES (2, 'counting', 0.5, 50, NULL, NULL);
INSERT INTO evaluation_types VALUES (2, 'ocr', 0.7, 150, NULL, NULL);

INSERT INTO checkpoints VALUES (1, 1, 2, 500, '/data/runs/fixture/step-500', 1700005401.0);
INSERT INTO artifacts VALUES (1, 1, 'attention-map', '/data/runs/fixture/attn.png', 'stage 2, image 0', 1700005402.0);

CREATE TABLE imports (
    id           INTEGER PRIMARY KEY,
    part         TEXT NOT NULL,
    architecture TEXT NOT NULL,
    source       TEXT NOT NULL,
    path         TEXT NOT NULL UNIQUE,
    parameters   INTEGER NOT NULL,
    created_at   REAL NOT NULL
);
INSERT INTO imports VALUES (1, 'lm', 'LlamaForCausalLM', '/models/vicuna-7b-v1.5', '/data/imports/vicuna', 6738415616, 1700000100.0);

PRAGMA user_version = 6;
