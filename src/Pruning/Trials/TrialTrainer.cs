using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text;
using Sweeps.Artifacts;
using Sweeps.Pruning.Checkpoints;
using Sweeps.Pruning.Devices;
using Sweeps.Pruning.Inputs;
using Sweeps.Pruning.Models;
using Sweeps.Pruning.Smp;
using Sweeps.Pruning.Squad;
using Sweeps.Pruning.Tasks;
using Sweeps.Pruning.Text;
using Sweeps.Pruning.Training;
using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Trials;

/// <summary>
/// Runs one trial: SMP (scores only, weights frozen) or a baseline (dense, magnitude, movement) on one task, with
/// optional distillation, checkpointing to its output folder and resuming from there. The caller owns the thread:
/// <see cref="Run"/> blocks until the trial finishes, and honours cancellation within one step (writing a checkpoint
/// first, so nothing is lost).
/// </summary>
public sealed class TrialTrainer
{
    private readonly TrialConfig config;
    private readonly ITrialTask task;
    private readonly ModelFolder modelFolder;
    private readonly string outputFolder;
    private readonly SweepsCache cache;
    private readonly IProgress<TrialProgress>? progress;

    public TrialTrainer(TrialConfig config, ITrialTask task, ModelFolder modelFolder, string outputFolder, SweepsCache cache,
        IProgress<TrialProgress>? progress = null)
    {
        config.Validate();
        this.config = config;
        this.task = task;
        this.modelFolder = modelFolder;
        this.outputFolder = outputFolder;
        this.cache = cache;
        this.progress = progress;
    }

    /// <summary>Resolves the model and task named in the config (importing or downloading on first use), then runs.</summary>
    /// <param name="stopEarly">Early stopping: the trial ends at its next step with its best evaluation so far as its result.</param>
    public static async Task<TrialResult> RunAsync(TrialConfig config, string outputFolder, SweepsCache cache,
        IProgress<TrialProgress>? progress = null, CancellationToken cancellation = default, CancellationToken stopEarly = default)
    {
        var folder = BuiltInModels.Resolve(config.Model, cache);
        var messages = new Progress<string>(m => progress?.Report(new TrialProgress(TrainingPhase.Preparing, 0, 0, double.NaN, 1, 0, m)));
        var task = await TaskCatalog.LoadAsync(config.Task, config.Data, cache, messages, cancellation);
        return new TrialTrainer(config, task, folder, outputFolder, cache, progress).Run(cancellation, stopEarly);
    }

    /// <summary>A hash of every setting that changes what training computes: a checkpoint resumes only the same trial.</summary>
    public static string Fingerprint(TrialConfig config)
    {
        var canonical = config with { Device = "", CheckpointEverySteps = 0, LossWindow = 0 };
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(canonical))));
    }

    /// <param name="cancellation">Stops the trial after a checkpoint (it resumes later) by throwing.</param>
    /// <param name="stopEarly">Ends the trial once it has an evaluation: its best evaluation so far becomes its result.</param>
    public TrialResult Run(CancellationToken cancellation = default, CancellationToken stopEarly = default)
    {
        var wall = Stopwatch.StartNew();
        var notes = new List<string>();
        using var session = SetUp(notes, cancellation);
        var fingerprint = Fingerprint(config);
        var tally = new TrainingTally(Resume(fingerprint, session, notes) ?? new TrainingProgressState(0, 0, 0, [], 0, 0));
        // A resumed trial reports its earlier evaluations again: the sweep's curve then holds them even if the last
        // attempt's heartbeat was lost with its silo.
        foreach (var evaluation in tally.Evaluations)
            progress?.Report(new TrialProgress(TrainingPhase.Preparing, 0, 0, double.NaN, 1, 0) { Evaluation = evaluation });
        var stoppedAt = Train(session, tally, fingerprint, cancellation, stopEarly);
        return Finish(session, tally, notes, wall, stoppedAt, cancellation);
    }

    /// <summary>
    /// The trial as <see cref="Run"/> builds it before its first step — model, head, pruner, plan and optimiser — without
    /// training it or reading a checkpoint; the caller disposes it.
    /// </summary>
    public TrialSession Prepare() => SetUp([], CancellationToken.None);

    /// <summary>Loads the model, head, pruner and objective, plans the run and builds the optimiser, in the order the seed's random numbers are drawn.</summary>
    private TrialSession SetUp(List<string> notes, CancellationToken cancellation)
    {
        var device = TorchDevices.Parse(config.Device);
        manual_seed(config.Seed);

        // Read once: the size check, the artefacts and a teacher's identity check all use it.
        var vocabulary = InputFile.ReadLines(modelFolder.VocabPath, InputFile.VocabularyBytes, "a WordPiece vocab.txt").ToList();
        ModelFit.Check(modelFolder, vocabulary, config.MaxLength);
        var (model, report) = BertCheckpointLoader.Load(modelFolder);
        var built = new List<IDisposable> { model };
        try
        {
            if (report.Unexpected.Count > 0) notes.Add($"unused tensors in the checkpoint: {string.Join(", ", report.Unexpected)}");
            var encoder = BertTextEncoder.Load(modelFolder);
            model.to(device);
            MixedPrecision.Apply(model, config.Precision, config.Method.TrainsWeights());
            var objective = CreateObjective(encoder);
            built.Add(objective);
            var head = objective.CreateHead(model, config.Classifier, config.Model);
            built.Add(head);
            head.to(device);
            var pruner = new Pruner(model, config.Method, config.Temperature ?? Pruner.ReferenceTemperature(config.Keep), config.Seed);
            built.Add(pruner);
            var churn = config.Method.Masks() ? new MaskChurn(pruner.Matrices.Select(m => m.Module).ToList()) : null;
            if (churn is not null) built.Add(churn);
            SetTrainable(model, pruner);
            var plan = TrainingPlan.For(config, task.Name, objective.TrainInputs.Count);
            var groups = ParameterGroups(model, head, pruner);
            var optimizer = TrialOptimizer.Create(groups.Select(g => ((IReadOnlyList<Parameter>)g.Parameters, g.LearningRate)).ToList(), config.UsesTransformersAdamW());
            built.Add(optimizer);
            if (config.Distillation is { } kd) PrepareTeacher(objective, kd, vocabulary, device, cancellation);
            return new TrialSession(device, vocabulary, model, encoder, objective, head, pruner, churn, plan, groups, optimizer);
        }
        catch
        {
            foreach (var part in Enumerable.Reverse(built)) part.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The steps from where the tally starts to the plan's end: masks at the scheduled keep, a batch in the epoch's
    /// seeded order, loss (plus λ times the regulariser), clipped gradients, an AdamW step; evaluations and
    /// checkpoints on their schedules. Cancellation writes a checkpoint before the next step and throws.
    /// </summary>
    /// <returns>The step early stopping ended training at; null when it ran to the end.</returns>
    private int? Train(TrialSession session, TrainingTally tally, string fingerprint, CancellationToken cancellation, CancellationToken stopEarly)
    {
        var (plan, pruner) = (session.Plan, session.Pruner);
        var encoded = session.Objective.TrainInputs;
        var heap = new HeapGrowthGuard();
        tally.StartClock();
        for (var step = tally.ResumedFrom; step < plan.TotalSteps; step++)
        {
            if (cancellation.IsCancellationRequested)
            {
                Checkpoint(session, tally, fingerprint, step);
                cancellation.ThrowIfCancellationRequested();
            }
            if (stopEarly.IsCancellationRequested && tally.Evaluations.Count > 0)
            {
                tally.StopClock();
                return step;
            }

            var keep = plan.Keep.KeepAt(step);
            pruner.UpdateMasks(keep);
            session.Optimizer.SetLearningRates(plan.LearningRate.FactorAt(step));
            var indices = BatchIndices(step, plan.StepsPerEpoch, encoded.Count);
            var gradientNorm = Step(session, tally, indices, step);

            heap.AfterStep();
            var recent = tally.RecentLoss;
            tally.CloseWindow(step + 1, config.LossWindow, last: step == plan.TotalSteps - 1, keep);
            progress?.Report(new TrialProgress(TrainingPhase.Training, step + 1, plan.TotalSteps, recent, keep, tally.Tokens / tally.TrainingSeconds) { GradientNorm = gradientNorm });
            TrainingMeter.TrainingSteps.Add(1);
            var done = step + 1;
            if (plan.EvaluatesAfter(done)) Evaluate(session, tally, done, cancellation);
            if (config.CheckpointEverySteps > 0 && done % config.CheckpointEverySteps == 0 && done < plan.TotalSteps)
                Checkpoint(session, tally, fingerprint, done);
        }
        tally.StopClock();
        return null;
    }

    /// <summary>One optimiser step on the batch; returns the gradients' total norm before clipping.</summary>
    private double Step(TrialSession session, TrainingTally tally, int[] indices, int step)
    {
        var (model, head, objective) = (session.Model, session.Head, session.Objective);
        using var scope = NewDisposeScope();
        using var batch = TokenBatch.Collate(indices.Select(i => objective.TrainInputs[i]).ToList(), session.Encoder.PadTokenId, session.Device);
        model.train();
        head.train();
        var hidden = model.call(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask);
        var logits = head.call(hidden, batch.InputIds);
        var loss = objective.Loss(logits, batch, indices, config.Distillation);
        // Read as a double: a diverging loss can leave float's range, which item<float>() reports as a conversion error.
        // Checked before the update, so that what made it not finite is still there to be found.
        using var lossValue = loss.detach().to_type(ScalarType.Float64);
        var value = lossValue.item<double>();
        if (!double.IsFinite(value) || Math.Abs(value) > float.MaxValue)
            throw new TrainingDivergedException(NonFiniteLoss.Explain(value, step, session, config, logits, kd => objective.Loss(logits, batch, indices, kd)));
        var total = config.Method.UsesRegularizer() && config.FinalLambda > 0
            ? loss + session.Pruner.Regularizer() * session.Plan.Lambda.LambdaAt(step)
            : loss;
        session.Optimizer.ZeroGrad();
        total.backward();
        var gradientNorm = GradientClipping.ClipTotalNorm(session.Trained, config.MaxGradNorm);
        session.Optimizer.Step();
        tally.AddLoss(value);
        tally.Tokens += batch.RealTokens;
        return gradientNorm;
    }

    /// <summary>
    /// Evaluates the masks of the current scores at the target keep fraction; a new best becomes the artefact (the
    /// reference's --load_best_model_at_end). Evaluation reads no random numbers, so training goes on unchanged.
    /// </summary>
    private DevEvaluation Evaluate(TrialSession session, TrainingTally tally, int step, CancellationToken cancellation)
    {
        tally.StopClock();
        var clock = Stopwatch.StartNew();
        var finalKeep = session.Plan.FinalKeep;
        progress?.Report(new TrialProgress(TrainingPhase.Evaluating, step, session.Plan.TotalSteps, tally.RecentLoss, finalKeep, tally.Tokens / tally.TrainingSeconds));
        session.Pruner.UpdateMasks(finalKeep);
        var evaluation = session.Objective.Evaluate(session.Model, session.Head, session.Device, config.DevLimit, cancellation) with
        {
            Step = step, MaskChurn = session.Churn?.Measure(),
        };
        var metric = session.Objective.SelectionMetric(evaluation);
        var best = tally.Evaluations.FirstOrDefault(e => e.Step == tally.BestStep);
        tally.Evaluations.Add(evaluation);
        if (best is null || evaluation.Metrics[metric] > best.Metrics[metric])
        {
            TrialArtifact.Save(outputFolder, config, task, session.Model, session.Pruner, session.Head, session.Vocabulary);
            tally.BestStep = step;
        }
        tally.EvaluationSeconds += clock.Elapsed.TotalSeconds;
        progress?.Report(new TrialProgress(TrainingPhase.Evaluating, step, session.Plan.TotalSteps, tally.RecentLoss, finalKeep, tally.Tokens / tally.TrainingSeconds)
        {
            Evaluation = evaluation,
        });
        tally.StartClock();
        return evaluation;
    }

    private void Checkpoint(TrialSession session, TrainingTally tally, string fingerprint, int nextStep) =>
        TrialCheckpoint.Save(outputFolder, fingerprint, tally.ToState(nextStep), Trainable(session.Model, session.Head),
            session.Optimizer.SaveState(), get_rng_state().data<byte>().ToArray(), ChurnBaseline(session));

    // The last evaluation's masks cannot be recomputed from the scores or weights trained since: the checkpoint keeps
    // them, so a resumed trial's next churn covers the same steps as an uninterrupted one's.
    private static Dictionary<string, byte[]> ChurnBaseline(TrialSession session) =>
        session.Churn is { } churn
            ? session.Pruner.Matrices.Zip(churn.Previous).ToDictionary(p => p.First.Name, p => MaskBits.Pack(p.Second))
            : [];

    /// <summary>
    /// The last evaluation (made now at the end of training; for a trial stopped early, the last one it made), the
    /// best one as the result, the artefact's keep fractions; the checkpoint is no longer needed.
    /// </summary>
    private TrialResult Finish(TrialSession session, TrainingTally tally, List<string> notes, Stopwatch wall, int? stoppedAt, CancellationToken cancellation)
    {
        var (plan, pruner) = (session.Plan, session.Pruner);
        var trainingSeconds = tally.TrainingSeconds;
        var final = stoppedAt is null ? Evaluate(session, tally, plan.TotalSteps, cancellation) : tally.Evaluations[^1];
        tally.StopClock();
        if (stoppedAt is { } at) notes.Add($"stopped early at step {at} of {plan.TotalSteps}; the result is the best evaluation so far");
        var selected = tally.Evaluations.Single(e => e.Step == tally.BestStep);
        var collapse = CollapseOnset.Of(tally.Evaluations, selected, final);
        if (collapse is not null) notes.Add(CollapseOnset.Note(tally.Evaluations, collapse));
        var (keepPerMatrix, achievedKeep, maskBytes) = TrialArtifact.ReadKeepFractions(outputFolder) ?? (pruner.KeepFractions(), pruner.OverallKeepFraction(), 0);
        TrialCheckpoint.Delete(outputFolder);
        var result = new TrialResult(task.Name, config.Method.ToName(), session.Head.Mode.ToName(), plan.FinalKeep, selected.Metrics,
            achievedKeep, keepPerMatrix, maskBytes, stoppedAt ?? plan.TotalSteps, tally.ResumedFrom, wall.Elapsed, tally.Tokens / trainingSeconds, tally.LossCurve, notes)
        {
            FinalMetrics = final.Metrics, BestStep = selected.Step, Collapsed = selected.Collapsed, FinalCollapsed = final.Collapsed,
            Evaluations = tally.Evaluations, EvaluationSeconds = tally.EvaluationSeconds, TrainingSeconds = trainingSeconds,
            StoppedAtStep = stoppedAt, CollapsedAtStep = collapse?.Step, ChurnAtCollapse = collapse?.MaskChurn,
        };
        progress?.Report(new TrialProgress(TrainingPhase.Done, plan.TotalSteps, plan.TotalSteps, tally.RecentLoss, plan.FinalKeep, result.TokensPerSecond));
        return result;
    }

    private TrialObjective CreateObjective(BertTextEncoder encoder) => task switch
    {
        TextTask text => new ClassificationObjective(text, encoder, config),
        SquadTask squad => new SpanObjective(squad, encoder, config),
        _ => throw new ArgumentException($"task '{task.Name}' has no training objective"),
    };

    // SMP trains only the scores (and a linear head); the baselines train every weight of the model.
    private void SetTrainable(PretrainedBert model, Pruner pruner)
    {
        foreach (var parameter in model.parameters()) parameter.requires_grad = config.Method.TrainsWeights();
        foreach (var scores in pruner.Scores) scores.requires_grad = true;
    }

    private List<TrialSession.Group> ParameterGroups(PretrainedBert model, ClassifierHead head, Pruner pruner)
    {
        var scores = pruner.Scores.ToList();
        var weights = model.parameters().Where(p => p.requires_grad && !scores.Contains(p)).ToList();
        // A pooled head's pooler is pre-trained weights: the methods that train weights train it at their rate, as the
        // references train BertForSequenceClassification's pooler with the rest of BERT.
        var pooler = head is LinearClassifierHead linear && config.Method.TrainsWeights() ? linear.PoolerParameters.ToList() : [];
        weights.AddRange(pooler);
        var groups = new List<TrialSession.Group>();
        if (scores.Count > 0) groups.Add(new TrialSession.Group(scores, config.ScoreLearningRate));
        var headParameters = head.TrainableParameters.Where(p => !pooler.Contains(p)).ToList();
        if (headParameters.Count > 0) groups.Add(new TrialSession.Group(headParameters, config.HeadLearningRate));
        if (weights.Count > 0) groups.Add(new TrialSession.Group(weights, config.WeightLearningRate));
        return groups;
    }

    // The data order of each epoch is a permutation seeded by (seed, epoch): a resumed trial sees the same batches.
    private int[] BatchIndices(int step, int stepsPerEpoch, int count)
    {
        var epoch = step / stepsPerEpoch;
        var order = Enumerable.Range(0, count).ToArray();
        // Not HashCode.Combine: it is salted per process, and the order must be the same in every process.
        new Random(unchecked(config.Seed * 1_000_003 + epoch) & int.MaxValue).Shuffle(order);
        var start = step % stepsPerEpoch * config.BatchSize;
        return order.AsSpan(start, Math.Min(config.BatchSize, count - start)).ToArray();
    }

    private void PrepareTeacher(TrialObjective objective, DistillationSettings settings, IReadOnlyList<string> vocabulary, Device device, CancellationToken cancellation)
    {
        progress?.Report(new TrialProgress(TrainingPhase.Preparing, 0, 0, double.NaN, 1, 0, $"computing teacher logits from {settings.TeacherFolder}"));
        // A teacher trial of the same sweep left an artefact; a teacher fine-tuned elsewhere is a Hugging Face folder.
        var isTrial = File.Exists(Path.Combine(settings.TeacherFolder, TrialArtifact.FileName));
        if (isTrial)
        {
            var student = ArtifactIdentity.Of(task, vocabulary);
            if (ArtifactIdentity.Read(settings.TeacherFolder).MismatchWith(student) is { } mismatch)
                throw new ArgumentException($"teacher {settings.TeacherFolder} cannot teach this trial: {mismatch}");
        }
        using var teacher = isTrial
            ? TrialArtifact.Load(settings.TeacherFolder, cache)
            : FineTunedTeacher.Load(settings.TeacherFolder, task, settings.TeacherLabels);
        teacher.Model.to(device);
        teacher.Head.to(device);
        objective.PrepareTeacher(teacher, device, cancellation);
    }

    private TrainingProgressState? Resume(string fingerprint, TrialSession session, List<string> notes)
    {
        TrialCheckpoint.Contents? contents;
        string? storedFingerprint;
        try
        {
            contents = TrialCheckpoint.Load(outputFolder, out storedFingerprint);
        }
        catch (CorruptCheckpointException e)
        {
            TrialCheckpoint.SetAside(outputFolder);
            notes.Add($"{e.Message}; set aside and restarted from step 0");
            progress?.Report(new TrialProgress(TrainingPhase.Preparing, 0, 0, double.NaN, 1, 0, notes[^1]));
            return null;
        }
        if (contents is null) return null;
        using (contents)
        {
            if (storedFingerprint != fingerprint)
            {
                TrialCheckpoint.SetAside(outputFolder);
                notes.Add("the checkpoint belongs to a different configuration; set aside and restarted from step 0");
                return null;
            }
            using (no_grad())
                foreach (var (name, parameter) in Trainable(session.Model, session.Head))
                {
                    if (!contents.Tensors.TryGetValue(name, out var saved))
                        throw new CorruptCheckpointException(Path.Combine(outputFolder, TrialCheckpoint.FileName), $"tensor '{name}' is missing");
                    parameter.copy_(saved);
                }
            try
            {
                session.Optimizer.LoadState(contents.OptimizerState);
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
            {
                throw new CorruptCheckpointException(Path.Combine(outputFolder, TrialCheckpoint.FileName), $"the optimiser state does not fit: {e.Message}");
            }
            using (var rng = tensor(contents.RngState, dtype: ScalarType.Byte))
                set_rng_state(rng);
            // A checkpoint written before mask churn was measured has no baseline: the next churn is then measured
            // from the masks the trial started with.
            if (session.Churn is { } churn && contents.ChurnBaseline.Count > 0) RestoreChurnBaseline(churn, session.Pruner, contents.ChurnBaseline);
            notes.Add($"resumed from the checkpoint at step {contents.Progress.Step}");
            return contents.Progress;
        }
    }

    private void RestoreChurnBaseline(MaskChurn churn, Pruner pruner, IReadOnlyDictionary<string, byte[]> baseline)
    {
        var masks = new List<Tensor>();
        try
        {
            foreach (var matrix in pruner.Matrices)
            {
                if (!baseline.TryGetValue(matrix.Name, out var bits))
                    throw new CorruptCheckpointException(Path.Combine(outputFolder, TrialCheckpoint.FileName), $"the mask churn's baseline of '{matrix.Name}' is missing");
                masks.Add(MaskBits.Unpack(bits, matrix.Module.Weight.shape));
            }
            churn.Restore(masks);
        }
        finally
        {
            foreach (var mask in masks) mask.Dispose();
        }
    }

    private static IEnumerable<(string Name, Tensor Value)> Trainable(PretrainedBert model, ClassifierHead head) =>
        model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => (p.name, (Tensor)p.parameter))
            .Concat(head.named_parameters().Where(p => p.parameter.requires_grad).Select(p => ("head." + p.name, (Tensor)p.parameter)));
}
