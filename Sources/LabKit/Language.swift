import ArgumentParser
import Foundation

/// The language a report is written in (`--lang`): English (the default) or Chinese. Every
/// sentence a report shows exists once per language, side by side, in a catalogue type per
/// area (`NotebookText`, `ChartText`, … in LabKit/Text, and each lab's `Text.swift`), whose
/// members take the numbers they quote as parameters; `pick(en:zh:)` chooses between the two.
public enum Language: String, ExpressibleByArgument, CaseIterable, Sendable {
    case en, zh

    /// This language's version of a text written in both.
    public func pick(en: String, zh: String) -> String {
        switch self {
        case .en: en
        case .zh: zh
        }
    }

    /// What report files add to their name: nothing in English, `.zh` in Chinese (`reports/<lab>.zh.md`).
    public var fileSuffix: String { self == .en ? "" : "." + rawValue }

    /// The report file of `lab` in this language, e.g. `weight-pruning.zh.md`.
    public func reportFile(_ lab: String, extension: String = "md") -> String { lab + fileSuffix + "." + `extension` }

    /// The figures folder of `lab` under `root`: `figures/<lab>`, or `figures/<lab>/zh` in Chinese.
    public func figuresFolder(_ lab: String, under root: URL) -> URL {
        let folder = root.appendingPathComponent("figures").appendingPathComponent(lab)
        return self == .en ? folder : folder.appendingPathComponent(rawValue)
    }
}

/// A training stage: `id` names it in the stage cache and the JSON (the same in every
/// language, so a Chinese run reuses an English run's training), `label` in the report.
public struct Stage: Sendable {
    public let id: String
    public let label: String

    public init(id: String, label: String) {
        self.id = id
        self.label = label
    }

    /// A stage whose English label is its id.
    public init(en: String, zh: String, _ language: Language) {
        self.init(id: en, label: language.pick(en: en, zh: zh))
    }
}

/// A phrase in both languages, for data that carries its own words (a published result's setup).
public struct Phrase: Sendable {
    public let en: String
    public let zh: String

    public init(en: String, zh: String) {
        self.en = en
        self.zh = zh
    }

    public func text(_ language: Language) -> String { language.pick(en: en, zh: zh) }
}
