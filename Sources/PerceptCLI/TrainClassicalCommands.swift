import ArgumentParser
import Foundation
import Percept

// `percept train <model>` for the classical classifiers of PerceptClassical. Features are the
// images flattened to 784 values in [0, 1]. The defaults are the settings measured in
// docs/benchmarks.md ("Classical classifiers").

/// `percept train ridge`.
struct TrainRidgeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ridge", abstract: "Regularized least squares on one-of-K targets (closed form, LAPACK).")
    @OptionGroup var data: DataOptions
    @Option(help: "α, the L2 penalty.") var alpha: Double = 1
    @OptionGroup var options: ClassicalOptions

    var model: RidgeClassifier { RidgeClassifier(alpha: alpha) }

    func run() throws {
        try runClassical(model, name: "ridge", loss: "squared-error",
                         hyperparameters: ["alpha": "\(alpha)"], data: data, options: options)
    }
}

/// `percept train lda`.
struct TrainLDACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lda", abstract: "Multi-class linear discriminant analysis with covariance shrinkage.")
    @OptionGroup var data: DataOptions
    @Option(help: "Shrinkage s in (0, 1] of the covariance towards a scaled identity.") var shrinkage: Double = 1e-4
    @OptionGroup var options: ClassicalOptions

    var model: LinearDiscriminantAnalysis { LinearDiscriminantAnalysis(shrinkage: shrinkage) }

    func run() throws {
        try runClassical(model, name: "lda", loss: "gaussian",
                         hyperparameters: ["shrinkage": "\(shrinkage)"], data: data, options: options)
    }
}

/// `percept train kfda`.
struct TrainKFDACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kfda", abstract: "Multi-class kernel Fisher discriminant on m Nyström landmarks (exact when m ≥ n).")
    @OptionGroup var data: DataOptions
    @Option(help: "Kernel: rbf, poly, linear or sigmoid.") var kernel: String = "rbf"
    @Option(help: "γ of the kernel.") var gamma: Float = 0.02
    @Option(help: "Degree of the polynomial kernel.") var degree: Int = 3
    @Option(help: "r, the constant of the polynomial and sigmoid kernels.") var coef0: Float = 0
    @Option(help: "m, the number of landmarks (kernel components).") var components: Int = 3000
    @Option(help: "λ, the relative weight of the RKHS-norm regularizer.") var regularization: Double = 1e-3
    @Option(help: "Seed of the choice of landmarks.") var seed: UInt64 = 0
    @OptionGroup var options: ClassicalOptions

    var model: KernelFisherDiscriminant {
        get throws {
            let k = try makeKernel(kernel, gamma: gamma, degree: degree, coef0: coef0)
            return KernelFisherDiscriminant(kernel: k, landmarks: components, regularization: regularization, seed: seed)
        }
    }

    func run() throws {
        let k = try makeKernel(kernel, gamma: gamma, degree: degree, coef0: coef0)
        try runClassical(
            try model, name: "kfda", loss: "gaussian",
            hyperparameters: ["kernel": k.description, "components": "\(components)", "regularization": "\(regularization)",
                              "seed": "\(seed)"],
            data: data, options: options)
    }
}

/// `percept train perceptron`.
struct TrainPerceptronCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perceptron", abstract: "The multi-class perceptron, averaged over every step.")
    @OptionGroup var data: DataOptions
    @Option(help: "Passes over the training data.") var epochs: Int = 10
    @Flag(inversion: .prefixedNo, help: "Average the weights over every step.") var averaged = true
    @Option(help: "Seed of the shuffling.") var seed: UInt64 = 0
    @OptionGroup var options: ClassicalOptions

    var model: Perceptron { Perceptron(epochs: epochs, averaged: averaged, seed: seed) }

    func run() throws {
        try runClassical(model, name: "perceptron", loss: "perceptron",
                         hyperparameters: ["epochs": "\(epochs)", "averaged": "\(averaged)", "seed": "\(seed)"],
                         data: data, options: options) { ["mistakes_last_epoch": Double($0.state?.mistakes.last ?? 0)] }
    }
}

/// `percept train kernel-perceptron`.
struct TrainKernelPerceptronCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel-perceptron", abstract: "The multi-class kernel perceptron, averaged.")
    @OptionGroup var data: DataOptions
    @Option(help: "Kernel: poly, rbf, linear or sigmoid.") var kernel: String = "poly"
    @Option(help: "γ of the kernel.") var gamma: Float = 1
    @Option(help: "Degree of the polynomial kernel.") var degree: Int = 4
    @Option(help: "r, the constant of the polynomial and sigmoid kernels.") var coef0: Float = 1
    @Option(help: "Passes over the training data.") var epochs: Int = 3
    @Option(help: "Seed of the shuffling.") var seed: UInt64 = 0
    @OptionGroup var options: ClassicalOptions

    var model: KernelPerceptron {
        get throws { KernelPerceptron(kernel: try makeKernel(kernel, gamma: gamma, degree: degree, coef0: coef0), epochs: epochs, seed: seed) }
    }

    func run() throws {
        let k = try makeKernel(kernel, gamma: gamma, degree: degree, coef0: coef0)
        try runClassical(
            try model, name: "kernel-perceptron", loss: "perceptron",
            hyperparameters: ["kernel": k.description, "epochs": "\(epochs)", "seed": "\(seed)"], data: data,
            options: options) { ["support_vectors": Double($0.supportVectorCount)] }
    }
}

/// `percept train logistic-regression`.
struct TrainLogisticRegressionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logistic-regression", abstract: "Multinomial logistic regression with an L2 penalty, fitted by L-BFGS.")
    @OptionGroup var data: DataOptions
    @Option(help: "C, the inverse strength of the L2 penalty.") var c: Double = 1
    @Option(help: "The most L-BFGS iterations.") var maxIterations: Int = 100
    @OptionGroup var options: ClassicalOptions

    var model: LogisticRegression { LogisticRegression(c: c, maxIterations: maxIterations) }

    func run() throws {
        try runClassical(
            model, name: "logistic-regression", loss: "cross-entropy",
            hyperparameters: ["C": "\(c)", "max_iterations": "\(maxIterations)"], data: data, options: options
        ) { ["iterations": Double($0.state?.iterations ?? 0)] }
    }
}

/// The options and run of the three SVM subcommands, which differ only in kernel and defaults.
struct SVMOptions: ParsableArguments {
    @Option(help: "The stopping tolerance ε of SMO.") var tolerance: Double = 1e-3
    @Option(help: "Megabytes of kernel rows kept in the caches (shared by the threads).") var cacheMegabytes: Int = 2048
    @Flag(inversion: .prefixedNo, help: "Shrink the working problem during SMO.") var shrinking = true

    func model(kernel: Kernel, c: Double, threads: Int?) -> SupportVectorMachine {
        SupportVectorMachine(kernel: kernel, c: c, tolerance: tolerance, cacheMegabytes: cacheMegabytes, shrinking: shrinking,
                             threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
    }

    func run(kernel: Kernel, c: Double, name: String, data: DataOptions, options: ClassicalOptions) throws {
        let model = model(kernel: kernel, c: c, threads: options.threads)
        try runClassical(
            model, name: name, loss: "hinge",
            hyperparameters: ["kernel": kernel.description, "C": "\(c)", "tolerance": "\(tolerance)"], data: data,
            options: options
        ) { model in
            let iterations = model.state?.iterations.reduce(0, +) ?? 0
            let rows = model.state?.kernelRows.reduce(0, +) ?? 0
            return ["support_vectors": Double(model.supportVectorCount), "smo_iterations": Double(iterations),
                    "kernel_rows": Double(rows)]
        }
    }
}

/// `percept train svm-linear`.
struct TrainLinearSVMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "svm-linear", abstract: "Support vector machine with the linear kernel (SMO, one-vs-one).")
    @OptionGroup var data: DataOptions
    @Option(help: "C, the penalty on margin violations.") var c: Double = 0.05
    @OptionGroup var svm: SVMOptions
    @OptionGroup var options: ClassicalOptions

    var model: SupportVectorMachine { svm.model(kernel: .linear, c: c, threads: options.threads) }

    func run() throws {
        try svm.run(kernel: .linear, c: c, name: "svm-linear", data: data, options: options)
    }
}

/// `percept train svm-rbf`.
struct TrainRBFSVMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "svm-rbf", abstract: "Support vector machine with the RBF kernel (SMO, one-vs-one).")
    @OptionGroup var data: DataOptions
    @Option(help: "C, the penalty on margin violations.") var c: Double = 10
    @Option(help: "γ of the kernel exp(−γ‖x − y‖²).") var gamma: Float = 0.03
    @OptionGroup var svm: SVMOptions
    @OptionGroup var options: ClassicalOptions

    var model: SupportVectorMachine { svm.model(kernel: .rbf(gamma: gamma), c: c, threads: options.threads) }

    func run() throws {
        try svm.run(kernel: .rbf(gamma: gamma), c: c, name: "svm-rbf", data: data, options: options)
    }
}

/// `percept train svm-poly`.
struct TrainPolynomialSVMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "svm-poly", abstract: "Support vector machine with the polynomial kernel (SMO, one-vs-one).")
    @OptionGroup var data: DataOptions
    @Option(help: "C, the penalty on margin violations.") var c: Double = 1
    @Option(help: "Degree of the kernel (γ x·y + r)^d.") var degree: Int = 3
    @Option(help: "γ of the kernel.") var gamma: Float = 0.05
    @Option(help: "r of the kernel.") var coef0: Float = 1
    @OptionGroup var svm: SVMOptions
    @OptionGroup var options: ClassicalOptions

    var model: SupportVectorMachine {
        svm.model(kernel: .polynomial(degree: degree, gamma: gamma, coef0: coef0), c: c, threads: options.threads)
    }

    func run() throws {
        try svm.run(kernel: .polynomial(degree: degree, gamma: gamma, coef0: coef0), c: c, name: "svm-poly", data: data,
                    options: options)
    }
}

/// The classical models' `train` subcommands, in the order `percept train --help` lists them.
let classicalTrainCommands: [any ParsableCommand.Type] = [
    TrainRidgeCommand.self, TrainLDACommand.self, TrainKFDACommand.self, TrainPerceptronCommand.self,
    TrainKernelPerceptronCommand.self, TrainLogisticRegressionCommand.self, TrainLinearSVMCommand.self,
    TrainRBFSVMCommand.self, TrainPolynomialSVMCommand.self,
]
