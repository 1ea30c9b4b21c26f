using Sweeps.Artifacts;
using Sweeps.Pruning.Checkpoints;
using Sweeps.Pruning.Smp;
using Sweeps.Pruning.Tasks;
using Sweeps.Pruning.Training;
using Sweeps.Pruning.Trials;
using Sweeps.Testing;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Tests.Training;

public sealed class TrialTrainerTests : IDisposable
{
    private readonly TinyBert tiny = new();
    private readonly TemporaryFolder output = new();
    private readonly TextTask task = TinyTasks.Spam();

    public void Dispose()
    {
        tiny.Dispose();
        output.Dispose();
    }

    private TrialConfig Config(PruningMethod method, double keep = 0.5) => new()
    {
        Task = task.Name,
        Model = tiny.Directory,
        Method = method,
        Keep = keep,
        Epochs = 4,
        BatchSize = 16,
        MaxLength = 16,
        HeadLearningRate = 1e-2,
        Seed = 7,
    };

    private TrialResult Run(TrialConfig config, string? folder = null, IProgress<TrialProgress>? progress = null, CancellationToken cancellation = default) =>
        new TrialTrainer(config, task, tiny.Folder, folder ?? output.Path, new SweepsCache(output.Path), progress).Run(cancellation);

    [Fact]
    public void Run_Smp_PretrainedWeightsStayBitForBit()
    {
        var (before, _) = BertCheckpointLoader.Load(tiny.Folder);
        using (before)
        {
            var trainer = new TrialTrainer(Config(PruningMethod.SmpScoreAllocated), task, tiny.Folder, output.Path, new SweepsCache(output.Path));
            trainer.Run();
            var (after, _, _) = TrialArtifact.Load(output.Path, new SweepsCache(output.Path));
            using (after)
            {
                var original = before.named_parameters().ToDictionary(p => p.name, p => p.parameter);
                foreach (var (name, parameter) in after.named_parameters())
                    Assert.True(parameter.equal(original[name]).all().item<bool>(), $"{name} changed");
            }
        }
        Assert.False(Directory.Exists(Path.Combine(output.Path, TrialArtifact.ModelFolderName)), "an SMP trial stores masks, not weights");
    }

    [Theory]
    [InlineData(PruningMethod.SmpLocal, 0.5)]
    [InlineData(PruningMethod.SmpLocal, 0.1)]
    [InlineData(PruningMethod.SmpLocal, 0.03)]
    [InlineData(PruningMethod.Magnitude, 0.1)]
    [InlineData(PruningMethod.Movement, 0.1)]
    public void Run_LocalMethods_EveryMatrixKeepsItsTargetWithinOneWeight(PruningMethod method, double keep)
    {
        var result = Run(Config(method, keep));

        foreach (var (name, fraction) in result.KeepFractionPerMatrix)
        {
            var elements = name.Contains("intermediate") || name.EndsWith("output.dense") && !name.Contains("attention") ? 32 * 64 : 32 * 32;
            Assert.True(Math.Abs(fraction - keep) * elements <= 1.0, $"{name}: kept {fraction}, target {keep}");
        }
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.1)]
    public void Run_SmpS_EachMatrixTypeKeepsItsTargetOverall(double keep)
    {
        var result = Run(Config(PruningMethod.SmpScoreAllocated, keep));

        foreach (var kind in PrunableMatrix.Kinds)
        {
            var layers = result.KeepFractionPerMatrix.Where(p => string.Join('.', p.Key.Split('.').Skip(4)) == kind).Select(p => p.Value).ToList();
            Assert.Equal(2, layers.Count);
            var elements = kind is "intermediate.dense" or "output.dense" ? 32 * 64 : 32 * 32;
            Assert.True(Math.Abs(layers.Average() - keep) * elements * layers.Count <= 1.0, $"{kind}: mean keep {layers.Average()}");
        }
        Assert.Equal(keep, result.AchievedKeepFraction, 3);
    }

    [Fact]
    public void Run_Smp_ReportsMaskBytesAsOneBitPerMaskedWeight()
    {
        var result = Run(Config(PruningMethod.SmpLocal));

        var maskedWeights = 2 * (4 * 32 * 32 + 2 * 32 * 64);
        Assert.Equal(maskedWeights / 8, result.MaskBytes);
        Assert.True(result.DevMetrics.ContainsKey("accuracy"));
        Assert.True(result.TokensPerSecond > 0);
        Assert.NotEmpty(result.LossCurve);
    }

    [Fact]
    public void Run_Dense_NoMasksAndWeightsChange()
    {
        var result = Run(Config(PruningMethod.Dense));

        Assert.Equal(0, result.MaskBytes);
        Assert.Equal(1.0, result.AchievedKeepFraction);
        var (before, _) = BertCheckpointLoader.Load(tiny.Folder);
        var (after, _) = BertCheckpointLoader.Load(ModelFolder.Open(Path.Combine(output.Path, TrialArtifact.ModelFolderName)));
        using (before)
        using (after)
        {
            var original = before.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            Assert.Contains(after.named_parameters(), p => !p.parameter.equal(original[p.name]).all().item<bool>());
        }
    }

    [Fact]
    public void Load_Artifact_ReproducesTheTrialsDevMetricsExactly()
    {
        var result = Run(Config(PruningMethod.SmpScoreAllocated, 0.3));

        var (model, head, encoder) = TrialArtifact.Load(output.Path, new SweepsCache(output.Path));
        using (model)
        using (head)
        {
            var metrics = TrialEvaluator.Evaluate(model, head, task, new Pruning.Text.TextBatcher(encoder, 16, 32), CPU);
            Assert.Equal(result.DevMetrics, metrics.Metrics);
        }
    }

    [Fact]
    public void Run_CancelledThenResumed_SameMasksAndMetricsAsUninterrupted()
    {
        using var uninterruptedFolder = new TemporaryFolder();
        var config = Config(PruningMethod.SmpScoreAllocated, 0.3) with { CheckpointEverySteps = 5 };
        var uninterrupted = Run(config, uninterruptedFolder.Path);

        using var cancel = new CancellationTokenSource();
        var reporter = new SynchronousProgress(p => { if (p.Phase == TrainingPhase.Training && p.Step == 9) cancel.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => Run(config, output.Path, reporter, cancel.Token));
        Assert.True(File.Exists(Path.Combine(output.Path, TrialCheckpoint.FileName)));

        var resumed = Run(config, output.Path);

        Assert.Equal(9, resumed.ResumedFromStep);
        Assert.Equal(uninterrupted.DevMetrics, resumed.DevMetrics);
        Assert.Equal(uninterrupted.KeepFractionPerMatrix, resumed.KeepFractionPerMatrix);
        Assert.Equal(uninterrupted.LossCurve, resumed.LossCurve);
        Assert.Equal(uninterrupted.Evaluations.Select(e => (e.Step, e.Metrics["accuracy"])), resumed.Evaluations.Select(e => (e.Step, e.Metrics["accuracy"])));
        Assert.Equal(uninterrupted.BestStep, resumed.BestStep);
        Assert.Equal(File.ReadAllBytes(Path.Combine(uninterruptedFolder.Path, TrialArtifact.FileName)),
            File.ReadAllBytes(Path.Combine(output.Path, TrialArtifact.FileName)));
    }

    [Fact]
    public void Run_CorruptCheckpoint_DetectedSetAsideAndRestartedCleanly()
    {
        var config = Config(PruningMethod.SmpLocal) with { CheckpointEverySteps = 5 };
        using var cancel = new CancellationTokenSource();
        var reporter = new SynchronousProgress(p => { if (p.Phase == TrainingPhase.Training && p.Step == 7) cancel.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => Run(config, output.Path, reporter, cancel.Token));
        var path = Path.Combine(output.Path, TrialCheckpoint.FileName);
        var bytes = File.ReadAllBytes(path);
        bytes[^10] ^= 0xFF;
        File.WriteAllBytes(path, bytes);

        var result = Run(config, output.Path);

        Assert.Equal(0, result.ResumedFromStep);
        Assert.Contains(result.Notes, n => n.Contains("corrupt") && n.Contains("checksum"));
        Assert.True(File.Exists(path + ".corrupt"));
    }

    [Fact]
    public void Run_MaskedLmClassifierOnModelWithoutHead_ClearError()
    {
        var error = Assert.Throws<ArgumentException>(() => Run(Config(PruningMethod.SmpLocal) with { Classifier = ClassifierMode.MaskedLmHead }));
        Assert.Contains("masked-LM head", error.Message);
        Assert.Contains("linear", error.Message);
    }

    [Fact]
    public void Run_MaskedLmClassifier_TrainsOnlyScoresAndReadsLabelWords()
    {
        using var withHead = new TinyBert(withMaskedLmHead: true);
        var config = Config(PruningMethod.SmpScoreAllocated) with { Model = withHead.Directory, Classifier = ClassifierMode.MaskedLmHead };

        var result = new TrialTrainer(config, task, withHead.Folder, output.Path, new SweepsCache(output.Path)).Run();

        Assert.Equal("mlm", result.Classifier);
        var (model, head, _) = TrialArtifact.Load(output.Path, new SweepsCache(output.Path));
        using (model)
        using (head)
        {
            var words = Assert.IsType<LabelWordHead>(head);
            Assert.Equal([23L, 22L], words.LabelWordIds); // "no", "yes" in the tiny vocabulary
        }
    }

    [Fact]
    public void Run_WithDistillationFromADenseTeacher_Completes()
    {
        using var teacherFolder = new TemporaryFolder();
        Run(Config(PruningMethod.Dense), teacherFolder.Path);

        var student = Run(Config(PruningMethod.SmpScoreAllocated, 0.3) with { Distillation = new DistillationSettings(teacherFolder.Path) });

        Assert.True(student.DevMetrics["accuracy"] > 0);
        Assert.All(student.LossCurve, p => Assert.True(double.IsFinite(p.Loss)));
    }

    [Fact]
    public void Run_DistillationTemperatureSoSmallTheLogitsOverflow_SaysSoNamingTheSetting()
    {
        using var teacherFolder = new TemporaryFolder();
        Run(Config(PruningMethod.Dense), teacherFolder.Path);

        // Logits of order 1 divided by 1e-40 leave float's range: the softened distributions are NaN from the first step.
        var error = Assert.Throws<TrainingDivergedException>(() =>
            Run(Config(PruningMethod.SmpScoreAllocated, 0.3) with { Distillation = new DistillationSettings(teacherFolder.Path) { Temperature = 1e-40 } }));

        Assert.StartsWith("the loss became NaN at step 0: the distillation term is not finite", error.Message);
        Assert.Contains("distillation.temperature = 1E-40", error.Message);
        Assert.DoesNotContain("lower the learning rates", error.Message);
    }

    [Fact]
    public void Run_LearningRatesThatDiverge_NameTheLearningRatesNotTheDistillation()
    {
        var error = Assert.Throws<TrainingDivergedException>(() =>
            Run(Config(PruningMethod.Dense) with { HeadLearningRate = 1e6, WeightLearningRate = 1e6 }));

        Assert.StartsWith("the loss became", error.Message);
        Assert.Matches("(weight_lr|head_lr) = 1000000", error.Message);
        Assert.DoesNotContain("distillation", error.Message);
    }

    [Fact]
    public void Run_DefaultEvaluation_EveryEpochFromTheStepTheTargetIsReached_AndAfterTheLastStep()
    {
        // 96 examples in batches of 16: 6 steps an epoch, 24 in all; the keep fraction reaches its target at 2/3 (step 16).
        var result = Run(Config(PruningMethod.SmpLocal));

        Assert.Equal([18, 24], result.Evaluations.Select(e => e.Step));
        Assert.Equal(24, result.Steps);
        Assert.True(result.EvaluationSeconds > 0);
    }

    [Fact]
    public void Run_EvalEveryAndPruneStepsGiven_EvaluatesAtTheirMultiplesFromTheTarget()
    {
        var result = Run(Config(PruningMethod.SmpLocal) with { EvalEvery = 4, PruneSteps = 6 });

        Assert.Equal([8, 12, 16, 20, 24], result.Evaluations.Select(e => e.Step));
        Assert.Equal(result.Evaluations.Single(e => e.Step == result.BestStep).Metrics, result.DevMetrics);
        Assert.Equal(result.Evaluations[^1].Metrics, result.FinalMetrics);
    }

    [Fact]
    public void Run_EvalFromTheStart_EvaluatesThroughTheKeepScheduleAtTheTargetsMasks()
    {
        var result = Run(Config(PruningMethod.SmpLocal, 0.5) with { EvalEvery = 4, PruneSteps = 12, EvalFrom = 0 });

        Assert.Equal([4, 8, 12, 16, 20, 24], result.Evaluations.Select(e => e.Step));
        // Every evaluation applies the target's masks, so the first one's churn (from every weight kept) is the pruned half.
        Assert.Equal(0.5, result.Evaluations[0].MaskChurn!.Value, 2);
        Assert.Contains(result.BestStep, result.Evaluations.Select(e => e.Step));
    }

    [Fact]
    public void Run_PruneStepsPastTheEndOfTraining_IsAnErrorNamingTheSetting()
    {
        var error = Assert.Throws<ArgumentException>(() => Run(Config(PruningMethod.SmpLocal) with { PruneSteps = 25 }));

        Assert.Contains("prune_steps = 25", error.Message);
        Assert.Contains("24 steps", error.Message);
    }

    [Fact]
    public void Run_FinalStepWorseThanAnEarlierEvaluation_ReportsTheBestAndKeepsItsArtefact()
    {
        // Trained on the opposite labels of its dev split, dense fine-tuning gets worse on dev the longer it trains: the
        // untrained tiny model answers one class (0.5 on the balanced dev split), and it ends near 0. Measured, 4 epochs,
        // seeds 1–8: first evaluations 0.50, last ones 0.00–0.21.
        var flipped = task with { Train = task.Train.Select(e => e with { Label = 1 - e.Label }).ToList() };
        var config = Config(PruningMethod.Dense) with { Epochs = 8, EvalEvery = 1, WeightLearningRate = 1e-3 };

        var result = new TrialTrainer(config, flipped, tiny.Folder, output.Path, new SweepsCache(output.Path)).Run();

        Assert.Equal(48, result.Evaluations.Count); // dense keeps everything: eligible from the first step
        Assert.Equal(result.Evaluations.Max(e => e.Metrics["accuracy"]), result.DevMetrics["accuracy"]);
        Assert.True(result.DevMetrics["accuracy"] >= result.FinalMetrics["accuracy"] + 0.25, $"best {result.DevMetrics["accuracy"]}, final {result.FinalMetrics["accuracy"]}");
        Assert.True(result.BestStep < result.Steps);
        var (model, head, encoder) = TrialArtifact.Load(output.Path, new SweepsCache(output.Path));
        using (model)
        using (head)
        {
            var reloaded = TrialEvaluator.Evaluate(model, head, task, new Pruning.Text.TextBatcher(encoder, 16, 32), CPU);
            Assert.Equal(result.DevMetrics, reloaded.Metrics); // the artefact is the best evaluation's model, not the last
        }
    }

    [Fact]
    public void Run_TrainedOnASingleClass_IsReportedCollapsed()
    {
        // Every training label is "ham": the head learns a constant, and dev accuracy is just the share of ham.
        var hamOnly = task with { Train = task.Train.Select(e => e with { Label = 0 }).ToList() };

        var result = new TrialTrainer(Config(PruningMethod.SmpLocal), hamOnly, tiny.Folder, output.Path, new SweepsCache(output.Path)).Run();

        Assert.True(result.Collapsed);
        Assert.True(result.FinalCollapsed);
        Assert.Equal(0.5, result.DevMetrics["accuracy"]);
        var onset = result.Evaluations.First(e => e.Collapsed);
        Assert.Equal(onset.Step, result.CollapsedAtStep);
        Assert.Equal(onset.MaskChurn, result.ChurnAtCollapse);
        Assert.InRange(result.ChurnAtCollapse!.Value, 0, 1);
        Assert.Contains(result.Notes, n => n.StartsWith($"first collapsed to one class at the evaluation at step {onset.Step}, when ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(PruningMethod.SmpLocal)]
    [InlineData(PruningMethod.SmpScoreAllocated)]
    public void Run_Smp_EveryEvaluationHasAMaskChurn_TheFirstAgainstEveryWeightKept(PruningMethod method)
    {
        var reported = new List<DevEvaluation>();

        var result = Run(Config(method, 0.5) with { EvalEvery = 2, PruneSteps = 6 },
            progress: new SynchronousProgress(p => { if (p.Evaluation is { } e) reported.Add(e); }));

        Assert.True(result.Evaluations.Count >= 2, $"{result.Evaluations.Count} evaluations");
        Assert.All(result.Evaluations, e => Assert.InRange(e.MaskChurn!.Value, 0, 1));
        // Every evaluation keeps exactly half of the masked weights, and the trial started with all of them.
        Assert.Equal(0.5, result.Evaluations[0].MaskChurn!.Value, 9);
        Assert.Equal(result.Evaluations.Select(e => e.MaskChurn), reported.Select(e => e.MaskChurn));
    }

    [Fact]
    public void Run_Dense_HasNoMaskChurn()
    {
        var result = Run(Config(PruningMethod.Dense) with { EvalEvery = 6 });

        Assert.NotEmpty(result.Evaluations);
        Assert.All(result.Evaluations, e => Assert.Null(e.MaskChurn));
    }

    [Fact]
    public void Run_ResumedAfterAnEvaluation_MeasuresTheSameMaskChurnAsUninterrupted()
    {
        using var uninterruptedFolder = new TemporaryFolder();
        var config = Config(PruningMethod.SmpLocal, 0.3) with { EvalEvery = 2, PruneSteps = 6, CheckpointEverySteps = 5 };
        var uninterrupted = Run(config, uninterruptedFolder.Path);

        // Cancelled at step 11: the checkpoint holds the masks of the evaluation at step 10, which the scores since cannot give.
        using var cancel = new CancellationTokenSource();
        var reporter = new SynchronousProgress(p => { if (p.Phase == TrainingPhase.Training && p.Step == 11) cancel.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => Run(config, output.Path, reporter, cancel.Token));
        var resumed = Run(config, output.Path);

        Assert.Equal(11, resumed.ResumedFromStep);
        Assert.Equal(uninterrupted.Evaluations.Select(e => (e.Step, e.MaskChurn)), resumed.Evaluations.Select(e => (e.Step, e.MaskChurn)));
    }

    [Fact]
    public void Run_DenseOnTheTinyTask_LearnsBothClassesAndIsNotCollapsed()
    {
        // Learning either direction of these labels takes both classes (the flipped-label runs above fell to 0.00–0.21).
        var result = Run(Config(PruningMethod.Dense) with { Epochs = 8, WeightLearningRate = 1e-3 });

        Assert.False(result.Collapsed);
        Assert.False(result.FinalCollapsed);
        Assert.Null(result.CollapsedAtStep);
        Assert.True(result.DevMetrics["accuracy"] >= 0.75, $"accuracy {result.DevMetrics["accuracy"]}");
    }

    [Fact]
    public void Run_ClippingAtATinyNorm_ChangesTrainingAndReportsTheNormBeforeClipping()
    {
        var norms = new List<double>();
        var clipped = Run(Config(PruningMethod.SmpLocal) with { MaxGradNorm = 1e-6 }, Path.Combine(output.Path, "clipped"),
            new SynchronousProgress(p => { if (p.Phase == TrainingPhase.Training) norms.Add(p.GradientNorm); }));
        var unclipped = Run(Config(PruningMethod.SmpLocal) with { MaxGradNorm = 0 }, Path.Combine(output.Path, "unclipped"));

        Assert.Equal(24, norms.Count);
        Assert.All(norms, n => Assert.True(n > 1e-6 && double.IsFinite(n), $"gradient norm {n}"));
        Assert.NotEqual(unclipped.LossCurve, clipped.LossCurve);
    }

    /// <summary>Reports on the training thread itself (Progress&lt;T&gt; would post to the thread pool, too late to cancel at a given step).</summary>
    private sealed class SynchronousProgress(Action<TrialProgress> report) : IProgress<TrialProgress>
    {
        public void Report(TrialProgress value) => report(value);
    }

    [Fact]
    public void EveryDevEvaluation_IsReported_AsItIsMade()
    {
        var reported = new List<DevEvaluation>();
        var config = Config(PruningMethod.SmpScoreAllocated, 0.5) with { EvalEvery = 2 };

        var result = Run(config, progress: new SynchronousProgress(p => { if (p.Evaluation is { } e) reported.Add(e); }));

        Assert.True(result.Evaluations.Count >= 2, $"{result.Evaluations.Count} evaluations");
        Assert.Equal(result.Evaluations.Select(e => (e.Step, e.Metrics["accuracy"])), reported.Select(e => (e.Step, e.Metrics["accuracy"])));
    }

    [Fact]
    public void StoppedEarly_TheTrialEndsAtItsNextStep_WithItsBestEvaluationSoFarAsItsResult()
    {
        using var stop = new CancellationTokenSource();
        var config = Config(PruningMethod.SmpScoreAllocated, 0.5) with { EvalEvery = 2 };
        var trainer = new TrialTrainer(config, task, tiny.Folder, output.Path, new SweepsCache(output.Path),
            new SynchronousProgress(p => { if (p.Evaluation is not null) stop.Cancel(); }));

        var result = trainer.Run(stopEarly: stop.Token);
        var full = Run(config, Path.Combine(output.Path, "full"));

        var evaluation = Assert.Single(result.Evaluations);
        Assert.Equal(evaluation.Step, result.StoppedAtStep);
        Assert.Equal(evaluation.Step, result.Steps);
        Assert.True(result.Steps < full.Steps, $"stopped at {result.Steps} of {full.Steps}");
        Assert.Equal(evaluation.Metrics, result.DevMetrics);
        Assert.Equal(full.Evaluations[0].Metrics, evaluation.Metrics); // the same trial up to the stop
        Assert.Null(full.StoppedAtStep);
        Assert.Contains(result.Notes, n => n.StartsWith("stopped early", StringComparison.Ordinal));
    }
}
