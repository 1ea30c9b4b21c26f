using System.Text.Json.Serialization;
using Sweeps.Pruning.Models;
using Sweeps.Pruning.Smp;

namespace Sweeps.Pruning.Training;

/// <summary>Everything one trial needs; the defaults are the paper's SMP settings where they apply.</summary>
public sealed record TrialConfig
{
    /// <summary>Task name (spam-assassin, sst2, mnli, …).</summary>
    public required string Task { get; init; }

    /// <summary>The task's data folder; null for the built-in task.</summary>
    public string? Data { get; init; }

    /// <summary>Built-in model name or Hugging Face model folder.</summary>
    public string Model { get; init; } = TrialSettings.DefaultModel;

    public PruningMethod Method { get; init; } = TrialSettings.DefaultMethod;

    /// <summary>The fraction of each masked matrix's weights kept at the end (ignored by dense fine-tuning).</summary>
    public double Keep { get; init; } = TrialSettings.Keep.Value;

    public ClassifierMode Classifier { get; init; } = TrialSettings.DefaultClassifier;

    public DistillationSettings? Distillation { get; init; }

    public int Seed { get; init; } = TrialSettings.Seed.IntValue;

    /// <summary>Passes over the training set; fractions allowed for short trials.</summary>
    public double Epochs { get; init; } = TrialSettings.Epochs.Value;

    public int BatchSize { get; init; } = TrialSettings.BatchSize.IntValue;

    public int MaxLength { get; init; } = TrialSettings.MaxLength.IntValue;

    /// <summary>Use only the first N training examples (the task's own fixed order); null for all.</summary>
    public int? TrainLimit { get; init; }

    /// <summary>Evaluate on only the first N examples of each dev split; null for all.</summary>
    public int? DevLimit { get; init; }

    /// <summary>AdamW learning rate of the scores, decayed linearly to 0 (SMP: 2e-2).</summary>
    public double ScoreLearningRate { get; init; } = TrialSettings.ScoreLearningRate.Value;

    /// <summary>AdamW learning rate of a linear head, decayed linearly to 0.</summary>
    public double HeadLearningRate { get; init; } = TrialSettings.HeadLearningRate.Value;

    /// <summary>AdamW learning rate of the weights for the methods that fine-tune them, decayed linearly to 0.</summary>
    public double WeightLearningRate { get; init; } = TrialSettings.WeightLearningRate.Value;

    /// <summary>λ_f, the final weight of the sigmoid-L1 regulariser (SMP: 400).</summary>
    public double FinalLambda { get; init; } = TrialSettings.FinalLambda.Value;

    /// <summary>SMP-S's τ; null picks the reference rule (1 below keep 0.7, 4 from 0.7 up).</summary>
    public double? Temperature { get; init; }

    /// <summary>The fraction of training over which the keep fraction falls to its target (then held).</summary>
    public double PruneFraction { get; init; } = TrialSettings.PruneFraction.Value;

    /// <summary>The keep fraction reaches its target after this many steps (the reference's <c>--warmup_threshold_step</c>); overrides <see cref="PruneFraction"/>.</summary>
    public int? PruneSteps { get; init; }

    /// <summary>The keep fraction is held at its target for the last this many steps (the reference's final_warmup × 5,000); overrides <see cref="PruneFraction"/>.</summary>
    public int? PruneHoldSteps { get; init; }

    /// <summary>λ reaches λ_f after this many steps and is held (the reference's <c>--warmup_regu_step</c>); null: over all of training.</summary>
    public int? LambdaSteps { get; init; }

    /// <summary>Gradients are clipped to this total L2 norm before each optimiser step (Hugging Face Trainer's default, 1.0); 0: no clipping.</summary>
    public double MaxGradNorm { get; init; } = TrialSettings.MaxGradNorm.Value;

    /// <summary>
    /// Evaluate on dev every N steps once the keep fraction has reached its target, keeping the best evaluation's masks
    /// and head as the artefact; null: every 1,000 steps, or every epoch where an epoch is shorter (the reference's
    /// eval_steps and evaluation_strategy). The last step is always evaluated.
    /// </summary>
    public int? EvalEvery { get; init; }

    /// <summary>
    /// The first step that may be evaluated, when evaluations are to come before the keep fraction reaches its target
    /// (0: through the whole schedule). An evaluation always applies the target keep fraction's masks, so an early one
    /// is a model at the target sparsity too, and its mask churn shows whether the ranking has settled. Null: the step
    /// the target is reached.
    /// </summary>
    public int? EvalFrom { get; init; }

    /// <summary>
    /// The learning rates rise linearly from 0 over this fraction of training, then decay linearly to 0; null: the
    /// method's reference (<see cref="MethodReference.WarmupFraction"/>).
    /// </summary>
    public double? WarmupFraction { get; init; }

    /// <summary>The learning-rate warm-up in steps; overrides <see cref="WarmupFraction"/>.</summary>
    public int? WarmupSteps { get; init; }

    /// <summary>
    /// Every weight is kept for the first <c>initial_warmup</c> × warm-up steps (the movement-pruning reference's
    /// <c>--initial_warmup</c>); null: the method's reference.
    /// </summary>
    public double? InitialWarmup { get; init; }

    /// <summary>
    /// The keep fraction holds its target for the last <c>final_warmup</c> × warm-up steps (the reference's
    /// <c>--final_warmup</c>); null: the method's reference (magnitude and movement: 2; SMP: <see cref="PruneFraction"/>).
    /// <see cref="PruneSteps"/> and <see cref="PruneHoldSteps"/> take precedence over it, and it over <see cref="PruneFraction"/>.
    /// </summary>
    public double? FinalWarmup { get; init; }

    /// <summary>1: a linear classification head reads the pooler's output (BertForSequenceClassification); null: the method's reference.</summary>
    public int? Pooler { get; init; }

    /// <summary>A linear head's initial weights are N(0, std²) and its bias 0; 0: TorchSharp's default; null: the method's reference.</summary>
    public double? HeadInitStd { get; init; }

    /// <summary>1: AdamW as transformers.AdamW computes it; 0: as torch.optim.AdamW; null: the method's reference (1).</summary>
    public int? TransformersAdamW { get; init; }

    /// <summary>
    /// The matrix arithmetic's number format (<see cref="MixedPrecision"/>). Left out of the configuration's JSON when
    /// fp32, so checkpoints written before precision was a setting still resume.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public Precision Precision { get; init; } = Precision.Fp32;

    /// <summary>cpu, cuda or cuda:N.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Write a checkpoint every N steps (0: only when cancelled).</summary>
    public int CheckpointEverySteps { get; init; }

    /// <summary>Average the loss curve over windows of this many steps.</summary>
    public int LossWindow { get; init; } = 10;

    /// <summary>
    /// This configuration with the given settings of <see cref="TrialSettings.Training"/> (by key; null leaves a setting
    /// as it is). Throws an <see cref="ArgumentException"/> naming a key that is unknown or a value out of its range.
    /// </summary>
    public TrialConfig WithTraining(IReadOnlyDictionary<string, double?> settings)
    {
        var config = this;
        foreach (var (key, given) in settings)
        {
            if (given is not { } value) continue;
            if (!TrialSettings.Training.TryGetValue(key, out var setting)) throw new ArgumentException($"{key} is not a training setting");
            setting.Check(value);
            config = key switch
            {
                "epochs" => config with { Epochs = value },
                "batch_size" => config with { BatchSize = (int)value },
                "max_length" => config with { MaxLength = (int)value },
                "train_limit" => config with { TrainLimit = (int)value },
                "dev_limit" => config with { DevLimit = (int)value },
                "score_lr" => config with { ScoreLearningRate = value },
                "head_lr" => config with { HeadLearningRate = value },
                "weight_lr" => config with { WeightLearningRate = value },
                "final_lambda" => config with { FinalLambda = value },
                "temperature" => config with { Temperature = value },
                "prune_fraction" => config with { PruneFraction = value },
                "prune_steps" => config with { PruneSteps = (int)value },
                "prune_hold_steps" => config with { PruneHoldSteps = (int)value },
                "lambda_steps" => config with { LambdaSteps = (int)value },
                "max_grad_norm" => config with { MaxGradNorm = value },
                "eval_every" => config with { EvalEvery = (int)value },
                "eval_from" => config with { EvalFrom = (int)value },
                "warmup_fraction" => config with { WarmupFraction = value },
                "warmup_steps" => config with { WarmupSteps = (int)value },
                "initial_warmup" => config with { InitialWarmup = value },
                "final_warmup" => config with { FinalWarmup = value },
                "pooler" => config with { Pooler = (int)value },
                "head_init_std" => config with { HeadInitStd = value },
                "transformers_adamw" => config with { TransformersAdamW = (int)value },
                _ => throw new InvalidOperationException($"{key} is in TrialSettings.Training but not here"),
            };
        }
        return config;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first setting that is out of range.</summary>
    public void Validate()
    {
        TrialSettings.Keep.Check(Keep);
        TrialSettings.Seed.Check(Seed);
        TrialSettings.Epochs.Check(Epochs);
        TrialSettings.BatchSize.Check(BatchSize);
        TrialSettings.MaxLength.Check(MaxLength);
        TrialSettings.TrainLimit.Check(TrainLimit);
        TrialSettings.DevLimit.Check(DevLimit);
        TrialSettings.ScoreLearningRate.Check(ScoreLearningRate);
        TrialSettings.HeadLearningRate.Check(HeadLearningRate);
        TrialSettings.WeightLearningRate.Check(WeightLearningRate);
        TrialSettings.PruneFraction.Check(PruneFraction);
        TrialSettings.FinalLambda.Check(FinalLambda);
        TrialSettings.Temperature.Check(Temperature);
        TrialSettings.PruneSteps.Check(PruneSteps);
        TrialSettings.PruneHoldSteps.Check(PruneHoldSteps);
        if (PruneSteps is not null && PruneHoldSteps is not null)
            throw new ArgumentException($"prune_steps = {PruneSteps} with prune_hold_steps = {PruneHoldSteps}: expected one of the two, not both");
        TrialSettings.LambdaSteps.Check(LambdaSteps);
        TrialSettings.MaxGradNorm.Check(MaxGradNorm);
        TrialSettings.EvalEvery.Check(EvalEvery);
        TrialSettings.EvalFrom.Check(EvalFrom);
        TrialSettings.WarmupFraction.Check(WarmupFraction);
        TrialSettings.WarmupSteps.Check(WarmupSteps);
        if (WarmupFraction is not null && WarmupSteps is not null)
            throw new ArgumentException($"warmup_fraction = {WarmupFraction} with warmup_steps = {WarmupSteps}: expected one of the two, not both");
        TrialSettings.InitialWarmup.Check(InitialWarmup);
        TrialSettings.FinalWarmup.Check(FinalWarmup);
        if (FinalWarmup is not null && (PruneSteps ?? PruneHoldSteps) is { } given)
            throw new ArgumentException($"final_warmup = {FinalWarmup} with {(PruneSteps is null ? "prune_hold_steps" : "prune_steps")} = {given}: expected one of the two, not both");
        TrialSettings.Pooler.Check(Pooler);
        TrialSettings.HeadInitStd.Check(HeadInitStd);
        TrialSettings.TransformersAdamW.Check(TransformersAdamW);
        if (Distillation is { } kd)
        {
            TrialSettings.DistillationTemperature.Check(kd.Temperature);
            TrialSettings.AlphaKd.Check(kd.AlphaKd);
            TrialSettings.AlphaCe.Check(kd.AlphaCe);
        }
    }
}
