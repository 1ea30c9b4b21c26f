using Sweeps.Pruning.Checkpoints;
using Sweeps.Pruning.Smp;

namespace Sweeps.Pruning.Training;

/// <summary>Everything one trial needs; the defaults are the paper's SMP settings where they apply.</summary>
public sealed record TrialConfig
{
    /// <summary>Task name (spam-assassin, sst2, mnli, …).</summary>
    public required string Task { get; init; }

    /// <summary>The task's TSV folder; null for the built-in task.</summary>
    public string? DataFolder { get; init; }

    /// <summary>Built-in model name or Hugging Face model folder.</summary>
    public string Model { get; init; } = BuiltInModels.MiniLm;

    public PruningMethod Method { get; init; } = PruningMethod.SmpScoreAllocated;

    /// <summary>The fraction of each masked matrix's weights kept at the end (ignored by dense fine-tuning).</summary>
    public double KeepFraction { get; init; } = 0.5;

    public ClassifierMode Classifier { get; init; } = ClassifierMode.LinearHead;

    public DistillationSettings? Distillation { get; init; }

    public int Seed { get; init; } = 42;

    /// <summary>Passes over the training set; fractions allowed for short trials.</summary>
    public double Epochs { get; init; } = 1;

    public int BatchSize { get; init; } = 32;

    public int MaxLength { get; init; } = 128;

    /// <summary>Use only the first N training examples (the task's own fixed order); null for all.</summary>
    public int? MaxTrainExamples { get; init; }

    /// <summary>Evaluate on only the first N examples of each dev split; null for all.</summary>
    public int? MaxDevExamples { get; init; }

    /// <summary>AdamW learning rate of the scores, decayed linearly to 0 (SMP: 2e-2).</summary>
    public double ScoreLearningRate { get; init; } = 2e-2;

    /// <summary>AdamW learning rate of a linear head, decayed linearly to 0.</summary>
    public double HeadLearningRate { get; init; } = 1e-3;

    /// <summary>AdamW learning rate of the weights for the methods that fine-tune them, decayed linearly to 0.</summary>
    public double WeightLearningRate { get; init; } = 3e-5;

    /// <summary>λ_f, the final weight of the sigmoid-L1 regulariser (SMP: 400).</summary>
    public double FinalLambda { get; init; } = 400;

    /// <summary>SMP-S's τ; null picks the reference rule (1 below keep 0.7, 4 from 0.7 up).</summary>
    public double? Temperature { get; init; }

    /// <summary>The fraction of training over which the keep fraction falls to its target (then held).</summary>
    public double PruneFraction { get; init; } = 2.0 / 3.0;

    /// <summary>The keep fraction reaches its target after this many steps (the reference's <c>--warmup_threshold_step</c>); overrides <see cref="PruneFraction"/>.</summary>
    public int? PruneSteps { get; init; }

    /// <summary>The keep fraction is held at its target for the last this many steps (the reference's final_warmup × 5,000); overrides <see cref="PruneFraction"/>.</summary>
    public int? PruneHoldSteps { get; init; }

    /// <summary>λ reaches λ_f after this many steps and is held (the reference's <c>--warmup_regu_step</c>); null: over all of training.</summary>
    public int? LambdaSteps { get; init; }

    /// <summary>Gradients are clipped to this total L2 norm before each optimiser step (Hugging Face Trainer's default, 1.0); 0: no clipping.</summary>
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>
    /// Evaluate on dev every N steps once the keep fraction has reached its target, keeping the best evaluation's masks
    /// and head as the artefact; null: every 1,000 steps, or every epoch where an epoch is shorter (the reference's
    /// eval_steps and evaluation_strategy). The last step is always evaluated.
    /// </summary>
    public int? EvalEvery { get; init; }

    /// <summary>cpu, cuda or cuda:N.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Write a checkpoint every N steps (0: only when cancelled).</summary>
    public int CheckpointEverySteps { get; init; }

    /// <summary>Average the loss curve over windows of this many steps.</summary>
    public int LossWindow { get; init; } = 10;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first setting that is out of range.</summary>
    public void Validate()
    {
        void Check(bool ok, string key, object value, string expected)
        {
            if (!ok) throw new ArgumentException($"{key} = {value}: expected {expected}");
        }
        void In(SettingRange range, double? value)
        {
            if (value is { } v && !range.Contains(v)) throw new ArgumentException($"{range.Key} = {v}: expected {range.Expected}");
        }
        In(SettingRanges.Keep, KeepFraction);
        In(SettingRanges.Epochs, Epochs);
        In(SettingRanges.BatchSize, BatchSize);
        In(SettingRanges.MaxLength, MaxLength);
        In(SettingRanges.TrainLimit, MaxTrainExamples);
        In(SettingRanges.DevLimit, MaxDevExamples);
        In(SettingRanges.ScoreLearningRate, ScoreLearningRate);
        In(SettingRanges.HeadLearningRate, HeadLearningRate);
        In(SettingRanges.WeightLearningRate, WeightLearningRate);
        In(SettingRanges.PruneFraction, PruneFraction);
        In(SettingRanges.FinalLambda, FinalLambda);
        In(SettingRanges.Temperature, Temperature);
        In(SettingRanges.PruneSteps, PruneSteps);
        In(SettingRanges.PruneHoldSteps, PruneHoldSteps);
        Check(PruneSteps is null || PruneHoldSteps is null, "prune_steps", $"{PruneSteps} with prune_hold_steps {PruneHoldSteps}", "one of the two, not both");
        In(SettingRanges.LambdaSteps, LambdaSteps);
        In(SettingRanges.MaxGradNorm, MaxGradNorm);
        In(SettingRanges.EvalEvery, EvalEvery);
        if (Distillation is { } kd)
        {
            In(SettingRanges.DistillationTemperature, kd.Temperature);
            In(SettingRanges.AlphaKd, kd.AlphaKd);
            In(SettingRanges.AlphaCe, kd.AlphaCe);
        }
    }
}
