from .incubation import Incubation, IncubationMilestone, IncubationSupport, MentoringLog
from .qualifications import RoundStaffMinimum, StaffQualification
from .training import Registration, TrainingProgramme, TrainingSession

__all__ = [
    "Incubation",
    "IncubationMilestone",
    "IncubationSupport",
    "MentoringLog",
    "Registration",
    "RoundStaffMinimum",
    "StaffQualification",
    "TrainingProgramme",
    "TrainingSession",
]
