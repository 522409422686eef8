#include "RunConfig.h"

#include "YamlLoader.h"
#include "io/PretrainedImport.h"
#include "text/SentencePieceModel.h"
#include "base/ConfigFields.h"
#include "base/ConfigReader.h"
#include "base/Errors.h"
#include "base/Messages.h"
#include "base/Numbers.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <cmath>
#include <set>

namespace fs = std::filesystem;

namespace cosw {

double StageConfig::dataWeight() const
{
    double rest = 1.0;
    for (const auto &m : mix)
        rest -= m.second;
    return rest;
}

TurnLayout StageConfig::turnLayout() const
{
    return turns == "independent" ? TurnLayout::Independent : TurnLayout::Conversation;
}

std::vector<std::string> StageConfig::dataFiles() const
{
    std::vector<std::string> files{data};
    for (const auto &m : mix)
        files.push_back(m.first);
    return files;
}

bool StageConfig::trains(const std::string &part) const
{
    return std::find(train.begin(), train.end(), part) != train.end();
}

// ------------------------------------------------------- the fields, once

static void readMix(ConfigReader &r, StageConfig &s)
{
    const Json *mix = r.child("mix");
    if (!mix)
        return;
    if (!mix->is_array())
        r.fail("mix", msg("expected a list of {data, weight}"));
    double shares = 0;
    for (size_t i = 0; i < mix->size(); ++i) {
        ConfigReader mr(mix->at(i), r.source(), childKeyPath(r.keyPath("mix"), i));
        const std::string file = mr.getString("data", "");
        const double weight = mr.getDouble("weight", 0);
        mr.finish();
        if (file.empty())
            mr.fail("data", msg("name the dataset file to mix in"));
        if (file == s.data || std::any_of(s.mix.begin(), s.mix.end(), [&](const auto &m) { return m.first == file; }))
            mr.fail("data", fill(msg("'%1' is already drawn from in this stage"), {file}));
        if (!(weight > 0 && weight < 1))
            mr.fail("weight", fill(msg("must be a share of the batches in (0, 1), got %1"), {formatReal(weight)}));
        shares += weight;
        s.mix.emplace_back(file, weight);
    }
    if (!(shares < 1))
        r.fail("mix", fill(msg("the shares add up to %1, leaving nothing for '%2'"), {formatReal(shares), s.data}));
}

static void writeMix(const StageConfig &s, Json &j)
{
    Json mixed = Json::array();
    for (const auto &[file, weight] : s.mix)
        mixed.push_back(Json{{"data", file}, {"weight", weight}});
    j["mix"] = mixed;
}

static void readLrScale(ConfigReader &r, StageConfig &s)
{
    const Json *scales = r.child("lr_scale");
    if (!scales)
        return;
    ConfigReader sr(*scales, r.source(), r.keyPath("lr_scale"));
    for (const char *part : {"vision", "connector", "lm", "lora"}) {
        if (!sr.has(part))
            continue;
        const double scale = sr.getDouble(part, 1.0);
        if (!(scale > 0) || !std::isfinite(scale))
            sr.fail(part, fill(msg("must be a positive multiplier of lr, got %1"), {formatReal(scale)}));
        s.lrScale[part] = scale;
    }
    sr.finish();
}

static const ConfigFields<StageConfig> &stageFields()
{
    using S = StageConfig;
    static const auto fields = ConfigFields<S>()
        .field("name", &S::name)
        .choice("kind", &S::kind, {"vision", "text", "pretrain", "finetune"})
        .field("data", &S::data, {[](const S &s) { return s.kind == "vision" ? std::string("cells.json") : s.kind + ".json"; }},
               [](const std::string &v) { return v.empty() ? msg("name the stage's dataset file") : std::string(); })
        .field("evaluate", &S::evaluate, {[](const S &s) { return s.kind == "finetune"; }})
        .field("steps", &S::steps, mustNotBeNegative<int>())
        .field("epochs", &S::epochs, mustNotBeNegative<int>())
        .field("batch_size", &S::batchSize, mustBePositive<int>())
        .field("grad_accum", &S::gradAccum, mustBePositive<int>())
        .field("lr", &S::lr, mustBePositive<double>())
        .field("warmup_steps", &S::warmupSteps, mustNotBeNegative<int>())
        .field("min_lr_ratio", &S::minLrRatio,
               [](const double &v) { return v >= 0 && v <= 1 ? std::string() : msg("must lie in [0, 1]"); })
        .field("weight_decay", &S::weightDecay, mustNotBeNegative<double>())
        .field("grad_clip", &S::gradClip, [](const double &v) {
            return v >= 0 ? std::string() : msg("must not be negative (0 turns clipping off)");
        })
        // A text stage has no image: only the language model can learn from it.
        .field("train", &S::train, {[](const S &s) { return s.kind == "text" ? std::vector<std::string>{"lm"} : s.train; }})
        .custom(readMix, writeMix)
        .custom(readLrScale, [](const S &s, Json &j) {
            Json scales = Json::object();
            for (const auto &[part, scale] : s.lrScale)
                scales[part] = scale;
            j["lr_scale"] = scales;
        })
        // Read by RunConfig::fromJson, which knows the model it scales.
        .custom([](ConfigReader &, S &) {}, [](const S &s, Json &j) { j["scaling"] = s.scaling.toJson(); })
        .custom(
            [](ConfigReader &r, S &s) {
                if (const Json *lora = r.child("lora"))
                    s.lora = loraConfigFromJson(*lora, r.source(), r.keyPath("lora"));
            },
            [](const S &s, Json &j) {
                if (s.lora.enabled())
                    j["lora"] = loraConfigToJson(s.lora);
            })
        .field("eval_interval", &S::evalInterval, mustNotBeNegative<int>())
        .field("checkpoint_interval", &S::checkpointInterval, mustNotBeNegative<int>())
        .field("log_interval", &S::logInterval, mustNotBeNegative<int>())
        .choice("precision", &S::precision, {"auto", "fp32", "bf16"})
        .choice("turns", &S::turns, {"conversation", "independent"})
        .choice("template", &S::conversationTemplate, conversationTemplateNames())
        .field("device", &S::device, [](const std::string &v) {
            return v == "cpu" || v.rfind("cuda", 0) == 0 ? std::string() : fill(msg("'%1' is not cpu, cuda or cuda:N"), {v});
        })
        .field("seed", &S::seed);
    return fields;
}

static const ConfigFields<DataConfig> &dataFields()
{
    using D = DataConfig;
    static const auto fields = ConfigFields<D>()
        .field("dir", &D::dir)
        .field("generate", &D::generate)
        .field("train_images", &D::trainImages, mustBePositive<int>())
        .field("test_images", &D::testImages, mustBePositive<int>())
        .field("grid", &D::grid, mustBePositive<int>())
        .field("cell_pixels", &D::cellPixels, mustBePositive<int>())
        .field("seed", &D::seed)
        .field("fill", &D::fill, [](const double &v) {
            return v > 0 && v <= 1 ? std::string() : fill(msg("must be in (0, 1], got %1"), {formatReal(v)});
        })
        .field("questions_per_image", &D::questionsPerImage, mustBePositive<int>())
        .field("turns_per_sample", &D::turnsPerSample, mustBePositive<int>())
        .field("text_grids", &D::textGrids, mustNotBeNegative<int>())
        .field("dense_questions", &D::denseQuestions)
        .field("tokenizer", &D::tokenizer, [](const std::string &v) {
            return v.empty() ? msg("expected words, lm or the path of a SentencePiece tokenizer.model") : std::string();
        })
        .field("eval", &D::eval)
        .field("text_eval", &D::textEval)
        .field("eval_samples", &D::evalSamples, mustNotBeNegative<int>())
        .field("cell_reading_images", &D::cellReadingImages, mustNotBeNegative<int>())
        .field("skip_bad_images", &D::skipBadImages)
        .field("allow_outside_images", &D::allowOutsideImages)
        .field("workers", &D::workers, mustNotBeNegative<int>())
        .field("feature_cache", &D::featureCache);
    return fields;
}

const ConversationTemplate &StageConfig::form() const
{
    return *cosw::conversationTemplate(conversationTemplate);
}

Json StageConfig::toJson() const
{
    return stageFields().toJson(*this);
}

// ------------------------------------------------------------------ reading

static StageConfig readStage(ConfigReader &r, size_t index)
{
    StageConfig s;
    s.name = "stage" + std::to_string(index);
    stageFields().read(r, s);
    if ((s.steps > 0) == (s.epochs > 0))
        r.fail(s.steps > 0 ? "epochs" : "steps", msg("set exactly one of steps or epochs to a positive number"));
    if (s.train.empty())
        r.fail("train", msg("name at least one of vision, connector, lm, lora"));
    std::set<std::string> seen;
    for (const auto &part : s.train) {
        if (part != "vision" && part != "connector" && part != "lm" && part != "lora")
            r.fail("train", fill(msg("'%1' is not one of vision, connector, lm, lora"), {part}));
        if (s.kind == "text" && part != "lm" && part != "lora")
            r.fail("train", fill(msg("a text stage sees no image, so '%1' cannot learn in it; train lm or lora"), {part}));
        if (s.kind == "vision" && part == "lora")
            r.fail("train", msg("a vision stage trains the tower alone; adapters belong to the language model"));
        if (!seen.insert(part).second)
            r.fail("train", fill(msg("'%1' is listed twice"), {part}));
    }
    return s;
}

static DataConfig readData(ConfigReader &r)
{
    DataConfig d;
    dataFields().read(r, d);
    r.finish();
    return d;
}

RunConfig RunConfig::fromJson(const Json &json, const ConfigSource &source)
{
    ConfigReader r(json, source, "");
    RunConfig run;
    run.file = source.file;
    run.name = r.getString("name", "");
    const Json *model = r.child("model");
    if (!model)
        r.fail("model", msg("is required"));
    run.model = ModelConfig::fromJson(*model, source, "model");
    if (const Json *data = r.child("data")) {
        ConfigReader dr(*data, source, "data");
        run.data = readData(dr);
    }

    const Json *stages = r.child("stages");
    if (!stages)
        r.fail("stages", msg("is required"));
    if (!stages->is_array() || stages->size() == 0)
        r.fail("stages", msg("expected a non-empty list of stages"));
    ModelConfig current = run.model;
    std::set<std::string> names;
    for (size_t i = 0; i < stages->size(); ++i) {
        const std::string key = childKeyPath("stages", i);
        ConfigReader sr(stages->at(i), source, key);
        StageConfig stage = readStage(sr, i);
        if (!names.insert(stage.name).second)
            sr.fail("name", fill(msg("stage name '%1' is used twice"), {stage.name}));
        // Training on the questions it is scored on would make the evaluation meaningless.
        for (const std::string &trained : stage.dataFiles())
            if (stage.kind != "vision" && (trained == run.data.eval || trained == run.data.textEval))
                sr.fail(trained == stage.data ? "data" : "mix",
                        fill(msg("'%1' is an evaluation set (data.%2); train on other questions"),
                             {trained, trained == run.data.eval ? "eval" : "text_eval"}));
        if (const Json *scaling = sr.child("scaling")) {
            stage.scaling = ScalingSpec::fromJson(*scaling, source, key + ".scaling",
                                                  current.connector.scales.size());
            // A stored config states the identity for every stage.
            if (stage.kind == "text" && !stage.scaling.isIdentity())
                sr.fail("scaling", msg("a text stage has no visual tokens; scale them in the stage that uses them"));
            current = scaledConfig(current, stage.scaling, source, key + ".scaling");
        }
        if (stage.lora.enabled()) {
            if (stage.kind == "vision")
                sr.fail("lora", msg("a vision stage trains the tower alone; add adapters in a stage with the language model"));
            if (current.lm.lora.enabled() && !(current.lm.lora == stage.lora))
                sr.fail("lora", fill(msg("the model already carries adapters (r %1) from an earlier stage; a later stage "
                                         "keeps them as they are"),
                                     {std::to_string(current.lm.lora.rank)}));
            if (!current.lm.lora.enabled() && !stage.trains("lora"))
                sr.fail("train", msg("the adapters this stage adds would not learn; add lora to train"));
            current.lm.lora = stage.lora;
        }
        if (stage.trains("lora") && !current.lm.lora.enabled())
            sr.fail("train", msg("the model carries no adapters to train; give this stage (or an earlier one) lora: {r: ...}"));
        // `resolution` is optional and, when given, must agree with the model
        // after scaling, so a config states what it means.
        const int resolution = sr.getInt("resolution", current.vision.imageSize);
        if (resolution != current.vision.imageSize)
            sr.fail("resolution", fill(msg("%1 does not match the model's input resolution %2 in this stage (set "
                                           "scaling.resolution to change it)"),
                                       {std::to_string(resolution), std::to_string(current.vision.imageSize)}));
        sr.finish();
        run.stages.push_back(stage);
        run.stageModels.push_back(current);
    }
    r.finish();
    return run;
}

bool isRunChoiceWithImport(const std::string &part, const std::string &key)
{
    static const std::map<std::string, std::set<std::string>> own{
        {"vision", {"feature_layer", "feature_layers", "pretrained"}}, {"lm", {"max_seq_len", "lora", "pretrained"}}};
    const auto it = own.find(part);
    return it != own.end() && it->second.count(key) > 0;
}

// A relative path is read from the config's directory.
static fs::path besideConfig(const std::string &path, const ConfigSource &source)
{
    fs::path out(path);
    if (out.is_relative() && !source.file.empty())
        out = fs::absolute(fs::path(source.file)).parent_path() / out;
    return out.lexically_normal();
}

// data.tokenizer: "words" stays; "lm" and a path become the absolute path of
// a tokenizer.model this build applies.
static void resolveTokenizer(Json &root, const ConfigSource &source)
{
    Json *data = root.is_object() ? findKey(root, "data") : nullptr;
    Json *tokenizer = data && data->is_object() ? findKey(*data, "tokenizer") : nullptr;
    if (!tokenizer)
        return;
    const std::string key = "data.tokenizer";
    if (!tokenizer->is_string() || tokenizer->get<std::string>().empty())
        throw ConfigError(source.where(key), key, msg("expected words, lm or the path of a SentencePiece tokenizer.model"));
    const std::string value = tokenizer->get<std::string>();
    if (value == "words")
        return;
    fs::path path;
    if (value == "lm") {
        const Json *model = findKey(root, "model");
        const Json *lm = model && model->is_object() ? findKey(*model, "lm") : nullptr;
        const Json *dir = lm && lm->is_object() ? findKey(*lm, "pretrained") : nullptr;
        if (!dir)
            throw ConfigError(source.where(key), key,
                              msg("'lm' reads the imported language model's tokenizer.model; name the import in "
                                  "model.lm.pretrained"));
        path = fs::path(dir->get<std::string>()) / "tokenizer.model";
        if (!fs::exists(path))
            throw ConfigError(source.where(key), key,
                              fill(msg("the imported language model in %1 has no tokenizer.model (its source had none); "
                                       "name one, or use words"),
                                   {dir->get<std::string>()}));
    } else {
        path = besideConfig(value, source);
        if (!fs::is_regular_file(path))
            throw ConfigError(source.where(key), key,
                              fill(msg("'%1' is not a file (expected words, lm or the path of a tokenizer.model)"),
                                   {path.string()}));
    }
    try {
        SentencePieceModel::load(path.string());
    } catch (const InputError &e) {
        throw ConfigError(source.where(key), key, e.what());
    }
    *tokenizer = path.string();
}

// The path is made absolute so the stored config names it wherever it is read.
static void resolveImports(Json &root, const ConfigSource &source)
{
    Json *model = root.is_object() ? findKey(root, "model") : nullptr;
    if (!model || !model->is_object())
        return;
    for (const std::string part : {"vision", "lm"}) {
        Json *section = findKey(*model, part);
        Json *dir = section && section->is_object() ? findKey(*section, "pretrained") : nullptr;
        if (!dir)
            continue;
        const std::string key = "model." + part + ".pretrained";
        if (!dir->is_string() || dir->get<std::string>().empty())
            throw ConfigError(source.where(key), key, msg("expected the directory of an imported model"));
        const fs::path path = besideConfig(dir->get<std::string>(), source);
        PretrainedPartInfo info;
        try {
            info = readPretrainedPartInfo(path.string(), part);
        } catch (const InputError &e) {
            throw ConfigError(source.where(key), key, e.what());
        }
        *dir = path.string();
        for (const auto &[name, value] : info.section.items()) {
            if (isRunChoiceWithImport(part, name))
                continue;
            const Json *stated = findKey(*section, name);
            if (!stated)
                (*section)[name] = value;
            else if (*stated != value)
                throw ConfigError(source.where("model." + part + "." + name), "model." + part + "." + name,
                                  fill(msg("%1 differs from the imported %2's %3 (%4); leave it out or match it"),
                                       {stated->dump(), info.architecture, value.dump(), path.string()}));
        }
    }
}

void resolvePretrained(Json &root, const ConfigSource &source)
{
    resolveImports(root, source);
    resolveTokenizer(root, source);
}

RunConfig RunConfig::load(const std::string &path, const std::vector<std::string> &overrides)
{
    ConfigSource source(path);
    Json json = loadYamlFile(path, &source.lines);
    if (!json.is_object())
        throw InputError(fill(msg("%1: a run config is a mapping with `model` and `stages`"), {path}));
    for (const auto &o : overrides)
        forgetLines(source.lines, applyOverride(json, o));
    resolvePretrained(json, source);
    return fromJson(json, source);
}

Json RunConfig::toJson() const
{
    Json j = Json::object();
    j["name"] = name;
    j["model"] = model.toJson();
    j["data"] = dataFields().toJson(data);
    Json stagesJson = Json::array();
    for (const auto &s : stages)
        stagesJson.push_back(s.toJson());
    j["stages"] = stagesJson;
    return j;
}

std::string applyOverride(Json &root, const std::string &assignment)
{
    const size_t eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0)
        throw InputError(fill(msg("--set %1: expected key.path=value"), {assignment}));
    const std::string path = assignment.substr(0, eq);
    Json *cur = &root;
    std::string keyPath;
    size_t i = 0;
    while (i < path.size()) {
        if (path[i] == '[') {
            const size_t close = path.find(']', i);
            if (close == std::string::npos)
                throw InputError(fill(msg("--set %1: unclosed '['"), {assignment}));
            size_t idx = 0;
            try {
                idx = std::stoul(path.substr(i + 1, close - i - 1));
            } catch (const std::exception &) {
                throw InputError(fill(msg("--set %1: list index is not a number"), {assignment}));
            }
            if (!cur->is_array() || idx >= cur->size())
                throw InputError(fill(msg("--set %1: %2 does not exist"), {assignment, path.substr(0, close + 1)}));
            cur = &cur->at(idx);
            keyPath = childKeyPath(keyPath, idx);
            i = close + 1;
        } else {
            if (path[i] == '.')
                ++i;
            const size_t end = path.find_first_of(".[", i);
            const std::string key = path.substr(i, end == std::string::npos ? std::string::npos : end - i);
            if (key.empty())
                throw InputError(fill(msg("--set %1: empty key in '%2'"), {assignment, path}));
            if (cur->is_array() && key.find_first_not_of("0123456789") == std::string::npos)
                throw InputError(fill(msg("--set %1: %2 is a list; name its item as %2[%3]"), {assignment, keyPath, key}));
            if (!cur->is_object() && !cur->is_null())
                throw InputError(fill(msg("--set %1: '%2' is inside a value that is not a mapping"), {assignment, key}));
            cur = &(*cur)[key];
            keyPath = childKeyPath(keyPath, key);
            i = end == std::string::npos ? path.size() : end;
        }
    }
    *cur = plainYamlValue(assignment.substr(eq + 1));
    return keyPath;
}

void forgetLines(JsonLines &lines, const std::string &keyPath)
{
    for (auto it = lines.lower_bound(keyPath); it != lines.end() && it->first.rfind(keyPath, 0) == 0;) {
        const char next = it->first.size() > keyPath.size() ? it->first[keyPath.size()] : '\0';
        it = next == '\0' || next == '.' || next == '[' ? lines.erase(it) : std::next(it);
    }
}

} // namespace cosw
